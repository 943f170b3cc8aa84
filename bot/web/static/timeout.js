// The time-out warning: the GOV.UK Design System's "timeout warning" pattern, for signed-in pages.
//
// The page says (data attributes on <body>, from bot.web.session_timing) how long a session lasts without
// activity and how long before the end to warn. Before the end, the <dialog> in base.html opens as a modal:
// the rest of the page is inert, focus goes to "Stay signed in" and stays in the dialog, and Escape means
// "Stay signed in". That button posts to the keep-alive route, which counts as activity on the server. If
// the time runs out, the dialog says so but the page stays where it is: anything typed is still in the box,
// and a message sent now is kept for its author until they sign in again (bot.web.held).
//
// Activity is anything that reached the server: this page loading, chat.js's background posts ("app:activity"
// events), a keep-alive. Other tabs of the same browser share it through localStorage, so working in one tab
// does not bring up the warning in another. Without JavaScript (or without <dialog>) the page's own notice
// says when the session ends.
(function () {
  "use strict";

  var dialog = document.getElementById("timeout-dialog");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var SHARED_KEY = "app-session-activity";
  var TICK_MS = 1000;
  var idleMs = seconds("data-session-idle-seconds");
  var warningMs = seconds("data-session-warning-seconds");
  var keepAlivePath = document.body.getAttribute("data-keep-alive");
  if (!(idleMs > 0) || !(warningMs > 0) || !keepAlivePath) { return; }

  var parts = {
    warning: document.getElementById("timeout-warning"),
    ended: document.getElementById("timeout-ended"),
    endedSend: document.getElementById("timeout-ended-send"),
    endedHeading: document.getElementById("timeout-ended-heading"),
    countdown: document.getElementById("timeout-countdown"),
    live: document.getElementById("timeout-live"),
    problem: document.getElementById("timeout-problem"),
    stay: document.getElementById("timeout-stay"),
    close: document.getElementById("timeout-close"),
    token: document.querySelector("#timeout-sign-out input[name=csrf_token]")
  };
  var lastActivity = Date.now();
  var state = "quiet";  // quiet, warning or ended
  var returnFocus = null;
  var announced = "";
  var timer = null;

  function seconds(name) {
    return parseFloat(document.body.getAttribute(name)) * 1000;
  }

  function sharedActivity() {
    try {
      var value = parseInt(window.localStorage.getItem(SHARED_KEY), 10);
      return isNaN(value) ? 0 : value;
    } catch (error) {
      return 0;  // storage switched off: this tab's own activity only
    }
  }

  function deadline() {
    return Math.max(lastActivity, sharedActivity()) + idleMs;
  }

  function signedIn() {
    // chat.js may have put another page's body in place (the sign-in page, once a session has ended).
    return document.body.hasAttribute("data-session-idle-seconds");
  }

  function noteActivity() {
    lastActivity = Date.now();
    try {
      window.localStorage.setItem(SHARED_KEY, String(lastActivity));
    } catch (error) {
      // storage switched off: nothing to share
    }
    showEndTime();
    tick();
  }

  function showEndTime() {
    var end = new Date(deadline());
    var text = end.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    Array.prototype.forEach.call(document.querySelectorAll("[data-session-ends-at]"), function (node) {
      node.textContent = text;
    });
  }

  // "2 minutes", "1 minute", "45 seconds": whole minutes while there is more than one left.
  function inWords(ms) {
    var secondsLeft = Math.max(0, Math.ceil(ms / 1000));
    if (secondsLeft > 60) {
      var minutes = Math.ceil(secondsLeft / 60);
      return minutes + " minutes";
    }
    if (secondsLeft === 60) { return "1 minute"; }
    return secondsLeft + (secondsLeft === 1 ? " second" : " seconds");
  }

  // Screen readers hear the time left when the dialog opens and then at a few moments only, not every second.
  function announce(ms) {
    var secondsLeft = Math.ceil(ms / 1000);
    var words = inWords(ms);
    var milestone = words;
    if (secondsLeft <= 60) {
      milestone = secondsLeft > 30 ? "1 minute" : (secondsLeft > 10 ? "30 seconds" : "10 seconds");
    }
    if (milestone === announced) { return; }
    announced = milestone;
    parts.live.textContent = "We will sign you out in " + words + ".";
  }

  function open() {
    if (dialog.open) { return; }
    returnFocus = document.activeElement;
    dialog.showModal();
  }

  function showWarning(left) {
    state = "warning";
    parts.warning.hidden = false;
    parts.ended.hidden = true;
    parts.problem.hidden = true;
    dialog.setAttribute("aria-labelledby", "timeout-heading");
    dialog.setAttribute("aria-describedby", "timeout-description");
    parts.countdown.textContent = inWords(left);
    open();
    parts.stay.focus();
  }

  function showEnded() {
    state = "ended";
    stopTicking();
    parts.warning.hidden = true;
    parts.ended.hidden = false;
    parts.endedSend.hidden = !document.querySelector("form[action$='/send'] textarea");
    dialog.setAttribute("aria-labelledby", "timeout-ended-heading");
    dialog.setAttribute("aria-describedby", "timeout-ended-description");
    parts.live.textContent = "";
    open();
    parts.endedHeading.focus();
  }

  function close() {
    if (dialog.open) { dialog.close(); }
    announced = "";
    if (state === "warning") { state = "quiet"; }
    if (returnFocus && document.contains(returnFocus) && returnFocus.focus) {
      returnFocus.focus();
    }
    returnFocus = null;
  }

  function stayed() {
    noteActivity();
    close();
  }

  function staySignedIn() {
    parts.problem.hidden = true;
    parts.stay.disabled = true;
    fetch(keepAlivePath, {
      method: "POST",
      body: new URLSearchParams({ csrf_token: parts.token ? parts.token.value : "" }),
      credentials: "same-origin",
      redirect: "manual",  // an ended session is redirected to the sign-in page: that is the answer
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      if (response.status === 204) {
        stayed();
      } else {
        showEnded();
      }
    }).catch(function () {
      parts.problem.textContent = "We could not reach the service. Check your connection, then choose " +
        "Stay signed in again.";
      parts.problem.hidden = false;
    }).then(function () {
      parts.stay.disabled = false;
    });
  }

  function tick() {
    if (!signedIn()) {
      stopTicking();
      if (dialog.open) { dialog.close(); }
      return;
    }
    if (state === "ended") { return; }
    var left = deadline() - Date.now();
    if (left <= 0) {
      showEnded();
    } else if (left <= warningMs) {
      if (state !== "warning") { showWarning(left); }
      parts.countdown.textContent = inWords(left);
      announce(left);
    } else if (state === "warning") {
      close();  // activity in another tab kept the session going
    }
  }

  function stopTicking() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  // The page behind a modal dialog is inert already; Tab past the last control (or Shift+Tab before the first)
  // would leave the page for the browser's own controls, so it wraps round inside the dialog instead.
  function keepFocusInside(event) {
    if (event.key !== "Tab") { return; }
    var focusable = Array.prototype.filter.call(
      dialog.querySelectorAll("button, a[href]"),
      function (node) { return !node.disabled && node.offsetParent !== null && node.tabIndex >= 0; }
    );
    if (!focusable.length) { return; }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    var active = document.activeElement;
    if (event.shiftKey && (active === first || !dialog.contains(active) || active.tabIndex < 0)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  dialog.addEventListener("keydown", keepFocusInside);
  parts.stay.addEventListener("click", staySignedIn);
  parts.close.addEventListener("click", close);
  dialog.addEventListener("cancel", function (event) {
    // Escape: in the warning it means "Stay signed in"; once ended it closes the dialog.
    event.preventDefault();
    if (state === "warning") {
      staySignedIn();
    } else {
      close();
    }
  });
  document.addEventListener("app:activity", function () {
    if (state !== "ended" && signedIn()) { noteActivity(); }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === SHARED_KEY) {
      showEndTime();
      tick();
    }
  });
  window.addEventListener("pageshow", function (event) {
    // Back from the browser's page cache: the page was not loaded from the server, so it is no activity.
    if (event.persisted) { tick(); }
  });

  noteActivity();
  timer = window.setInterval(tick, TICK_MS);
}());
