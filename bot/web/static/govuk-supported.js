// Tells govuk-frontend's CSS and JavaScript that this browser runs its ES module code, as the Design
// System's page template does with an inline snippet. It is a file because the Content-Security-Policy allows
// no inline script, and it runs first thing in <body> so that the page is drawn once, already marked.
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
