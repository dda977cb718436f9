// Organisational scope is worked out where the organisation tree lives (organisations.service.ts);
// this re-export keeps earlier imports working until they move there.
export { organisationScopeFor } from '../../modules/organisations/organisations.service.js';
