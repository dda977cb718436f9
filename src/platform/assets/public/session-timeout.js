// Warns before the idle sign-out and lets people stay signed in with one action (WCAG 2.2
// SC 2.2.1 Timing adjustable; security.md AU-5; DWP Accessibility Manual "Manage a session
// time out"). Progressive enhancement: without it the server still ends idle sessions.
// The layout loads this only for signed-in pages and gives it its settings on <body>.
const settings = document.body.dataset;
const idleSeconds = Number(settings.sessionIdleSeconds);
const warningSeconds = Number(settings.sessionWarningSeconds);
const extendUrl = settings.sessionExtendUrl;
const signedOutUrl = settings.sessionSignedOutUrl;
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

// Other tabs of the same session share its deadline, so activity in one keeps the others open.
const channel = 'BroadcastChannel' in window ? new window.BroadcastChannel('kindred-session') : null;

let deadline = 0;
let warningTimer;
let countdownTimer;
let lastAnnounced = '';
let dialog;
let countdown;
let announcer;
let returnFocusTo = null;

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function buildDialog() {
  countdown = element('span', {}, [describe(warningSeconds)]);
  // Announced sparingly: the dialog's own text once when it opens, then each whole minute and
  // at 20 seconds, never every second.
  announcer = element('p', {
    class: 'govuk-visually-hidden',
    'aria-live': 'assertive',
    'aria-atomic': 'true',
  });
  const stay = element('button', { type: 'button', class: 'govuk-button', 'data-module': 'govuk-button' }, [
    'Stay signed in',
  ]);
  stay.addEventListener('click', staySignedIn);
  const signOut = element('form', { method: 'post', action: '/sign-out' }, [
    element('input', { type: 'hidden', name: '_csrf', value: csrfToken }),
    element('button', { type: 'submit', class: 'govuk-button govuk-button--secondary' }, ['Sign out']),
  ]);
  dialog = element(
    'dialog',
    {
      class: 'kindred-timeout-dialog',
      role: 'alertdialog',
      'aria-modal': 'true',
      'aria-labelledby': 'kindred-timeout-heading',
      'aria-describedby': 'kindred-timeout-message',
      tabindex: '-1',
    },
    [
      element('h2', { class: 'govuk-heading-m', id: 'kindred-timeout-heading' }, [
        'You will be signed out soon',
      ]),
      element('p', { class: 'govuk-body', id: 'kindred-timeout-message' }, [
        'We will sign you out in ',
        countdown,
        ' to protect the information in Kindred. Anything you have not saved will be lost.',
      ]),
      announcer,
      element('div', { class: 'govuk-button-group' }, [stay, signOut]),
    ],
  );
  // Escape means the person is here: treat it as "Stay signed in" rather than leaving a
  // closed dialog and a session about to end.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    staySignedIn();
  });
  document.body.append(dialog);
}

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

function secondsLeft() {
  return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
}

// Time is up and no tab of this session was active: end the session on the server too, so the
// page the person comes back to matches what the dialog told them.
async function signOutNow() {
  window.clearInterval(countdownTimer);
  try {
    await fetch('/sign-out', {
      method: 'POST',
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { 'x-csrf-token': csrfToken },
    });
  } catch {
    // Unreachable server: the session will lapse there on its own; leave the page regardless.
  }
  window.location.assign(signedOutUrl);
}

function tick() {
  const seconds = secondsLeft();
  if (seconds <= 0) {
    signOutNow();
    return;
  }
  const text = describe(seconds);
  countdown.textContent = text;
  const announce = (seconds % 60 === 0 && seconds < warningSeconds) || seconds === 20;
  if (announce && text !== lastAnnounced) {
    announcer.textContent = `We will sign you out in ${text}.`;
    lastAnnounced = text;
  }
}

function showWarning() {
  if (!dialog) buildDialog();
  if (dialog.open) return;
  returnFocusTo = document.activeElement;
  lastAnnounced = '';
  announcer.textContent = '';
  tick();
  dialog.showModal();
  dialog.focus();
  countdownTimer = window.setInterval(tick, 1000);
}

function hideWarning() {
  window.clearInterval(countdownTimer);
  if (dialog?.open) {
    dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === 'function') returnFocusTo.focus();
  }
}

function schedule(newDeadline) {
  deadline = newDeadline;
  clearTimeout(warningTimer);
  hideWarning();
  const untilWarning = deadline - warningSeconds * 1000 - Date.now();
  if (untilWarning <= 0) showWarning();
  else warningTimer = setTimeout(showWarning, untilWarning);
}

async function staySignedIn() {
  try {
    const response = await fetch(extendUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': csrfToken },
    });
    if (!response.ok) throw new Error(`extend answered ${response.status}`);
    const { expiresInSeconds } = await response.json();
    const newDeadline = Date.now() + Number(expiresInSeconds) * 1000;
    schedule(newDeadline);
    channel?.postMessage({ deadline: newDeadline });
  } catch {
    // The session has already ended (or the server cannot be reached): say so plainly.
    window.location.assign(signedOutUrl);
  }
}

if (Number.isFinite(idleSeconds) && idleSeconds > 0 && extendUrl && signedOutUrl) {
  const pageDeadline = Date.now() + idleSeconds * 1000;
  schedule(pageDeadline);
  channel?.postMessage({ deadline: pageDeadline });
  channel?.addEventListener('message', (event) => {
    const shared = Number(event.data?.deadline);
    if (Number.isFinite(shared) && shared > deadline) schedule(shared);
  });
}
