// The SSDA903 import's job page while the import runs (issue 9 §1): every 5 seconds it asks for
// the page again and updates the status and the progress bar in place (the status is a polite
// live region), then loads the result once the job has finished. A whole-page reload on a timer
// would send a screen reader back to the top each time (WCAG 2.2.1 Timing adjustable), so the
// page has no meta refresh; "Stop checking" turns this off, and without JavaScript the Refresh
// link does the same job.
const region = document.querySelector('[data-kindred-import-progress]');

if (region) {
  const stop = document.getElementById('stop-checking');
  const address = window.location.pathname;
  let timer;
  let busy = false;

  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      const response = await fetch(`${address}?refresh=off`, {
        credentials: 'same-origin',
        headers: { accept: 'text/html' },
      });
      const next = new window.DOMParser().parseFromString(await response.text(), 'text/html');
      const nextRegion = next.getElementById('status');
      if (!response.ok || !nextRegion || !nextRegion.hasAttribute('data-running')) {
        // Finished (or signed out, or gone): show whatever the server has to say now.
        window.clearInterval(timer);
        window.location.assign(address);
        return;
      }
      for (const part of ['[data-status-text]', '[data-progress-text]']) {
        const shown = region.querySelector(part);
        const latest = nextRegion.querySelector(part);
        if (shown && latest && shown.textContent !== latest.textContent)
          shown.textContent = latest.textContent;
      }
      const bar = document.getElementById('import-progress');
      const latestBar = next.getElementById('import-progress');
      if (bar && latestBar) {
        bar.value = Number(latestBar.getAttribute('value'));
        bar.textContent = latestBar.textContent;
      }
    } catch {
      // A network blip: try again at the next tick.
    } finally {
      busy = false;
    }
  };

  timer = window.setInterval(check, 5000);

  if (stop) {
    stop.hidden = false;
    stop.querySelector('a')?.addEventListener('click', (event) => {
      event.preventDefault();
      window.clearInterval(timer);
      stop.hidden = true;
      document.getElementById('refresh-link')?.focus();
    });
  }
}
