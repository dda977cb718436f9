// Debian's Chromium under playwright-core, with an axe-core WCAG 2.2 AA scan of every page
// visited (security.md AX-1), a watch for Content-Security-Policy violations on every page, and
// a screenshot kept when a test fails.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type BrowserContext, type Locator, type Page, type Response } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium tries to reach Google's hosts at every start,
// which this machine's closed network refuses.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught page errors and CSP violations seen since the last `resetChecks`. */
  problems: string[];
  /** Addresses of documents loaded in the page that no axe scan has seen yet. */
  unscannedDocuments(): string[];
  /** Forgets the problems and unscanned documents seen so far (between tests). */
  resetChecks(): void;
  close(): Promise<void>;
}

interface DocumentLedger {
  loaded: string[];
  scannedUpTo: number;
}

const ledgers = new WeakMap<Page, DocumentLedger>();

export async function openBrowser(): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'kindred-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const ledger: DocumentLedger = { loaded: [], scannedUpTo: 0 };
  ledgers.set(page, ledger);
  // Every new document (not a same-page #fragment move) must be scanned before the test ends.
  page.on('domcontentloaded', () => {
    if (page.url() !== 'about:blank') ledger.loaded.push(page.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await context.exposeBinding('kindredReportCspViolation', (_source, text: string) =>
    problems.push(`csp: ${text}`),
  );
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { kindredReportCspViolation(text: string): void }).kindredReportCspViolation(
        `Content Security Policy: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} on ${document.location.pathname}`,
      );
    });
  });
  return {
    context,
    page,
    problems,
    unscannedDocuments: () => ledger.loaded.slice(ledger.scannedUpTo),
    resetChecks() {
      problems.length = 0;
      ledger.scannedUpTo = ledger.loaded.length;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** CSP violations (from the DOM event or Chromium's console) and uncaught script errors. */
export function securityProblems(problems: string[]): string[] {
  return problems.filter((p) => /^csp:|Content Security Policy|^page error:/i.test(p));
}

/** Fails with a readable list if axe finds any WCAG 2.2 A/AA violation on the current page. */
export async function expectNoAccessibilityViolations(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const ledger = ledgers.get(page);
  if (ledger) ledger.scannedUpTo = ledger.loaded.length;
  if (results.violations.length > 0) {
    const lines = results.violations.flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `- ${violation.id} (${violation.impact ?? 'no impact given'}) at ${node.target.join(' ')}: ${violation.help} — ${violation.helpUrl}`,
      ),
    );
    throw new Error(`Accessibility violations on ${page.url()}:\n${lines.join('\n')}`);
  }
}

/** Goes to a page (following redirects), scans what it lands on, and returns the response. */
export async function visit(page: Page, url: string): Promise<Response | null> {
  const response = await page.goto(url);
  await expectNoAccessibilityViolations(page);
  return response;
}

/**
 * Clicks something that loads a new document (a form's submit button, a link), waits for that
 * document, and scans it.
 */
export async function submit(page: Page, control: Locator): Promise<void> {
  const loaded = page.waitForEvent('load');
  await control.click();
  await loaded;
  await expectNoAccessibilityViolations(page);
}

export async function screenshotOnFailure(page: Page | undefined, name: string): Promise<string | undefined> {
  if (!page) return undefined;
  const dir = path.resolve('test-results/e2e');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 100)}.png`);
  return page
    .screenshot({ path: file, fullPage: true })
    .then(() => file)
    .catch(() => undefined);
}
