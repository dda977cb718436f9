// Driving a page from the keyboard alone (WCAG 2.1.1 Keyboard): Tab and Shift+Tab to move, typing
// to fill in, Space for radios and checkboxes, Enter to follow links and press buttons. No mouse
// clicks and no `fill()`: what these helpers reach, a keyboard user reaches.
import type { Locator, Page } from 'playwright-core';
import { expectNoAccessibilityViolations } from './browser.js';

export function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement);
}

/** The id (or, failing that, the tag and text) of the element that has focus, for messages. */
export function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'the page itself';
    return active.id
      ? `#${active.id}`
      : `${active.tagName.toLowerCase()} "${active.textContent?.trim() ?? ''}"`;
  });
}

const anyHasFocus = (targets: Locator): Promise<boolean> =>
  targets.evaluateAll((elements: Element[]) => elements.includes(document.activeElement as Element));

/**
 * Presses Tab until the target (or one of the elements it matches) has focus, or Shift+Tab when
 * the target comes before whatever has focus now. Fails if the target is not reached within
 * `limit` presses: it is not in the tab order.
 */
export async function tabTo(page: Page, target: Locator, limit = 120): Promise<void> {
  await target.first().waitFor();
  const backwards = await target.first().evaluate((element) => {
    const active = document.activeElement;
    if (!active || active === document.body || active === element) return false;
    // Target before the focused element: go back with Shift+Tab.
    return Boolean(element.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  for (let presses = 0; presses < limit; presses += 1) {
    if (await anyHasFocus(target)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  if (await anyHasFocus(target)) return;
  throw new Error(
    `Could not reach ${target.toString()} with ${backwards ? 'Shift+Tab' : 'Tab'} in ${limit} presses (focus is on ${await focusedElement(page)})`,
  );
}

/** Tabs to a text field, selects what is in it and types over it. */
export async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+A');
  if (text === '') await page.keyboard.press('Delete');
  else await page.keyboard.type(text);
}

/** Tabs to a (closed) select and types the start of an option's text, as a keyboard user picks one. */
export async function typeToSelect(page: Page, select: Locator, optionText: string): Promise<void> {
  await tabTo(page, select);
  await page.keyboard.type(optionText);
  const chosen = await select.evaluate((element) => (element as HTMLSelectElement).selectedOptions[0]?.text);
  if (!chosen?.startsWith(optionText)) {
    throw new Error(`Typing "${optionText}" in ${select.toString()} chose "${chosen ?? 'nothing'}"`);
  }
}

/**
 * Chooses a radio button: Tab into its group (focus lands on the checked radio, or the first),
 * arrow keys to the one wanted, Space to make sure it is checked.
 */
export async function chooseRadio(page: Page, radio: Locator): Promise<void> {
  const name = await radio.getAttribute('name');
  await tabTo(page, page.locator(`input[type="radio"][name="${name}"]`));
  for (let presses = 0; presses < 20 && !(await hasFocus(radio)); presses += 1) {
    await page.keyboard.press('ArrowDown');
  }
  if (!(await hasFocus(radio))) throw new Error(`Arrow keys never reached ${radio.toString()}`);
  await page.keyboard.press('Space');
}

/** Types a date into a GOV.UK date input: day, Tab, month, Tab, year. */
export async function typeDate(page: Page, day: Locator, date: string): Promise<void> {
  const [year, month, dayOfMonth] = date.split('-');
  await typeInto(page, day, String(Number(dayOfMonth)));
  for (const part of [String(Number(month)), year ?? '']) {
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(part);
  }
}

/**
 * Tabs to a link or button and presses Enter, expecting a new document; waits for it and scans it
 * with axe, as `submit` does for a click.
 */
export async function pressEnterOn(page: Page, control: Locator): Promise<void> {
  await tabTo(page, control);
  const loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
  await expectNoAccessibilityViolations(page);
}
