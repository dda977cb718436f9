// Runs first in <body>: marks the page as having JavaScript so GOV.UK components enhance it.
// Kept external so the Content-Security-Policy needs no inline script.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
