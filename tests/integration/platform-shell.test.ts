import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('health', () => {
  it('answers /health and reports the database ready on /health/ready', async () => {
    expect((await t.app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: 'ok' });
  });
});

describe('GOV.UK shell and error pages', () => {
  it('serves an accessible 404 page with the GOV.UK layout for an unknown page', async () => {
    const response = await t.app.inject('/no-such-page');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
    expect(response.body).toContain('govuk-phase-banner');
    expect(response.body).toContain('Skip to main content');
  });

  it('answers unknown API paths with a JSON problem document', async () => {
    const response = await t.app.inject('/api/no-such-thing');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, correlationId: expect.any(String) });
  });

  it('sends a nonce-based Content-Security-Policy and no inline script', async () => {
    const response = await t.app.inject('/accessibility');
    const csp = String(response.headers['content-security-policy']);
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const scripts = [...response.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/ src="\/assets\/[0-9a-f]{12}\//);
      expect(attributes).toContain(`nonce="${nonce}"`);
      expect(body?.trim()).toBe('');
    }
  });

  it('serves fingerprinted assets with a year-long immutable cache', async () => {
    const page = await t.app.inject('/accessibility');
    const cssUrl = /href="(\/assets\/[0-9a-f]{12}\/govuk-frontend\.min\.css)"/.exec(page.body)?.[1];
    expect(cssUrl).toBeTruthy();
    const css = await t.app.inject(cssUrl!);
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Fonts referenced by the stylesheet are themselves fingerprinted and served.
    const fontUrl = /url\((\/assets\/[0-9a-f]{12}\/fonts\/[^)]+\.woff2)\)/.exec(css.body)?.[1];
    expect(fontUrl).toBeTruthy();
    expect((await t.app.inject(fontUrl!)).statusCode).toBe(200);
    expect((await t.app.inject('/assets/000000000000/govuk-frontend.min.css')).statusCode).toBe(404);
  });

  it('sends the security headers on every response', async () => {
    const response = await t.app.inject('/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('same-origin');
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    // No TLS in this configuration, so no HSTS.
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('redirects anonymous visitors to sign in from staff pages', async () => {
    const response = await t.app.inject('/');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in');
  });
});
