// One invented user for every role in the demo region, so anyone can see Kindred as each kind
// of worker sees it (issue 3 §8). Demo users exist only in a database seeded for the demo.
import type { Role } from '../../platform/access/permissions.js';
import { roleLabels } from '../../platform/access/permissions.js';
import type { Database } from '../../platform/db/client.js';
import { hashPassword } from './passwords.js';

export const demoPassword = 'kindred demo only 2026';

interface DemoUser {
  role: Role;
  name: string;
  email: string;
  organisationCode: string;
}

interface DemoUserSpec {
  role: string;
  name: string;
  organisationCode: string;
  /** The part of the email before @, when the role alone would repeat another user's. */
  emailName?: string;
}

const domain = 'demo.kindred.invalid';

export const demoUsers: DemoUser[] = [
  { role: 'raa_social_worker', name: 'Amara Okafor', organisationCode: 'als-se-recruitment' },
  { role: 'family_finder', name: 'Tomasz Nowak', organisationCode: 'als-se-family-finding' },
  { role: 'assessing_social_worker', name: 'Priya Raman', organisationCode: 'als-sw-recruitment' },
  { role: 'support_worker', name: 'Grace Adeyemi', organisationCode: 'als-se-support' },
  { role: 'team_manager', name: 'Daniel Hughes', organisationCode: 'als-south-east' },
  { role: 'panel_adviser', name: 'Helen Mbeki', organisationCode: 'adopt-london-south' },
  { role: 'panel_administrator', name: 'Owen Price', organisationCode: 'adopt-london-south' },
  { role: 'panel_member', name: 'Rosa Lindqvist', organisationCode: 'adopt-london-south' },
  { role: 'agency_decision_maker', name: 'Margaret Osei', organisationCode: 'adopt-london-south' },
  // The child's council's decision maker decides a match (seeds 001 §11.6, service schedule), so
  // the demo has one in a member council as well as the RAA's, who approves adopters.
  {
    role: 'agency_decision_maker',
    name: 'Samuel Adebayo',
    organisationCode: 'lewisham',
    emailName: 'council.agency.decision.maker',
  },
  { role: 'head_of_service', name: 'Catherine Byrne', organisationCode: 'adopt-london-south' },
  { role: 'la_social_worker', name: 'Kwame Mensah', organisationCode: 'lewisham' },
  { role: 'la_manager', name: 'Fiona Walsh', organisationCode: 'lewisham' },
  { role: 'board_member', name: 'Rajesh Kapoor', organisationCode: 'adopt-london-south' },
  { role: 'finance_officer', name: 'Li Wei', organisationCode: 'adopt-london-south' },
  { role: 'performance_officer', name: 'Sophie Turner', organisationCode: 'adopt-london-south' },
  { role: 'system_administrator', name: 'Alex Morgan', organisationCode: 'adopt-london-south' },
].map((user: DemoUserSpec) => ({
  role: user.role as Role,
  name: user.name,
  organisationCode: user.organisationCode,
  email: `${user.emailName ?? user.role.replaceAll('_', '.')}@${domain}`,
}));

export async function seedDemoUsers(
  database: Database,
): Promise<Array<{ role: string; email: string; organisation: string }>> {
  const passwordHash = await hashPassword(demoPassword);
  return database.db.transaction().execute(async (trx) => {
    const printed: Array<{ role: string; email: string; organisation: string }> = [];
    for (const user of demoUsers) {
      const organisation = await trx
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('code', '=', user.organisationCode)
        .executeTakeFirstOrThrow();
      const existing = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', user.email)
        .executeTakeFirst();
      if (existing) continue;
      const row = await trx
        .insertInto('users')
        .values({
          organisation_id: organisation.id,
          email: user.email,
          name: user.name,
          password_hash: passwordHash,
          totp_secret_encrypted: null,
          totp_enrolled_at: null,
          status: 'active',
          throttled_until: null,
          last_sign_in_at: null,
          is_demo: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('user_roles')
        .values({ user_id: row.id, role: user.role, granted_by: null })
        .execute();
      printed.push({ role: roleLabels[user.role], email: user.email, organisation: organisation.name });
    }
    return printed;
  });
}
