// Never lose what someone typed (the brief; DWP Accessibility Manual on time-outs): a long form
// marked data-kindred-draft keeps a draft of its fields in this tab's sessionStorage as they
// type. If the page is opened again with a draft that differs from what it shows (the session
// timed out and they signed in again, the browser crashed, a save failed), a banner offers to
// put the draft back. Drafts stay on this device, in this tab only, and are gone when the tab
// closes; a page showing a success banner clears the drafts its tab submitted.
const prefix = 'kindred-draft:';
const storage = (() => {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
})();

function fieldsOf(form) {
  return [...form.elements].filter(
    (field) =>
      field.name &&
      !['_csrf', 'version'].includes(field.name) &&
      !['hidden', 'file', 'submit', 'button', 'password'].includes(field.type),
  );
}

function snapshot(form) {
  const values = {};
  for (const field of fieldsOf(form)) {
    if (field.type === 'checkbox' || field.type === 'radio') {
      values[`${field.name}=${field.value}`] = field.checked;
    } else {
      values[field.name] = field.value;
    }
  }
  return values;
}

function restore(form, values) {
  for (const field of fieldsOf(form)) {
    if (field.type === 'checkbox' || field.type === 'radio') {
      const key = `${field.name}=${field.value}`;
      if (key in values) field.checked = values[key];
    } else if (field.name in values) {
      field.value = values[field.name];
      field.dispatchEvent(new window.Event('input', { bubbles: true }));
    }
  }
}

function same(a, b) {
  return Object.keys({ ...a, ...b }).every((key) => (a[key] ?? '') === (b[key] ?? ''));
}

function banner(form, draft, key) {
  const when = new Date(draft.savedAt).toLocaleTimeString('en-GB', { hour: 'numeric', minute: '2-digit' });
  const box = document.createElement('div');
  box.className = 'govuk-notification-banner';
  box.setAttribute('role', 'region');
  box.setAttribute('aria-labelledby', 'kindred-draft-title');
  box.innerHTML = `
    <div class="govuk-notification-banner__header">
      <h2 class="govuk-notification-banner__title" id="kindred-draft-title">Important</h2>
    </div>
    <div class="govuk-notification-banner__content">
      <p class="govuk-notification-banner__heading">You have unsaved changes to this form from ${when}.</p>
      <div class="govuk-button-group">
        <button type="button" class="govuk-button" data-draft-action="restore">Put my changes back</button>
        <button type="button" class="govuk-button govuk-button--secondary" data-draft-action="discard">Discard them</button>
      </div>
    </div>`;
  box.addEventListener('click', (event) => {
    const action = event.target.closest('[data-draft-action]')?.dataset.draftAction;
    if (!action) return;
    if (action === 'restore') restore(form, draft.values);
    else storage.removeItem(key);
    box.remove();
    form.querySelector('input:not([type=hidden]), textarea, select')?.focus();
  });
  form.before(box);
}

if (storage) {
  if (document.querySelector('.govuk-notification-banner--success')) {
    for (const key of Object.keys(storage)) {
      if (key.startsWith(prefix) && JSON.parse(storage.getItem(key) ?? '{}').submitted)
        storage.removeItem(key);
    }
  }
  for (const form of document.querySelectorAll('form[data-kindred-draft]')) {
    const key = prefix + form.dataset.kindredDraft;
    const saved = JSON.parse(storage.getItem(key) ?? 'null');
    if (saved && !same(saved.values, snapshot(form))) banner(form, saved, key);
    let timer;
    const save = (submitted) =>
      storage.setItem(key, JSON.stringify({ values: snapshot(form), savedAt: Date.now(), submitted }));
    form.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => save(false), 500);
    });
    form.addEventListener('submit', () => save(true));
  }
}
