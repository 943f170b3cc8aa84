// Starts govuk-frontend's components (error summary, notification banner, skip link, service navigation...)
// on the page as loaded, and again on any part of the page that chat.js swaps in without a reload: it sends
// an "app:updated" event from the new part. Without this file, or without JavaScript, every page still works.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

document.addEventListener("app:updated", function (event) {
  initAll({ scope: event.target });
});
