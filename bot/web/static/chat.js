// Progressive enhancement for the chat page: post the form in the background and update the page in place.
// Without this file everything still works by ordinary form posts. The server is the same either way: the
// answer goes to the same address, and this script reads the same HTML page the browser would have loaded.
//
// Nothing typed is lost (issue 17): the text box keeps a draft in this browser for each assessment, so a
// closed tab, a crash or a lost connection loses nothing; it is put back into an empty box when the page
// loads again, and removed once the message has been sent. Drafts are encrypted (AES-GCM, Web Crypto) with
// a key that only this account's signed-in pages carry (data-draft-key, from bot.web.held), under names that
// say neither who nor which assessment, so nothing readable is left on a shared computer; they expire
// (data-draft-hours), and go at an explicit sign-out, which also replaces the key. A send that fails (no
// connection, a server error) leaves the text in the box with a message; sending it again sends it once.
(function () {
  "use strict";

  if (!window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }

  var drafts = (function () {
    // Storage names carry neither the user name nor the reference: each is a hash of this account's draft
    // key and the reference, so only the account's own signed-in pages can tell which draft is whose.
    var PREFIX = "app-draft:v2:";
    var subtle = window.crypto && window.crypto.subtle;
    var storage = null;
    try {
      storage = window.localStorage;
    } catch (error) {
      storage = null;
    }
    var keyPromise = null;
    var names = {};  // reference -> promise of its storage name
    var generation = {};  // per reference: a save or removal made later wins over one still encrypting

    function enabled() {
      return Boolean(subtle && storage && document.body.getAttribute("data-draft-key"));
    }

    function bytes(base64) {
      var raw = window.atob(base64);
      var out = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i += 1) { out[i] = raw.charCodeAt(i); }
      return out;
    }

    function base64(buffer) {
      var view = new Uint8Array(buffer);
      var raw = "";
      for (var i = 0; i < view.length; i += 1) { raw += String.fromCharCode(view[i]); }
      return window.btoa(raw);
    }

    function key() {
      if (!keyPromise) {
        keyPromise = subtle.importKey("raw", bytes(document.body.getAttribute("data-draft-key")),
          { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
      }
      return keyPromise;
    }

    function storageName(reference) {
      if (!names[reference]) {
        var keyBytes = bytes(document.body.getAttribute("data-draft-key"));
        var label = new TextEncoder().encode("\u0000" + reference);
        var input = new Uint8Array(keyBytes.length + label.length);
        input.set(keyBytes, 0);
        input.set(label, keyBytes.length);
        names[reference] = subtle.digest("SHA-256", input).then(function (digest) {
          return PREFIX + base64(digest).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
        });
      }
      return names[reference];
    }

    function bump(reference) {
      generation[reference] = (generation[reference] || 0) + 1;
      return generation[reference];
    }

    function save(reference, text) {
      if (!enabled() || !reference) { return; }
      if (!text) { remove(reference); return; }
      var mine = bump(reference);
      var iv = window.crypto.getRandomValues(new Uint8Array(12));
      var name;
      storageName(reference).then(function (found) {
        name = found;
        return key();
      }).then(function (cryptoKey) {
        return subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: new TextEncoder().encode(name) },
          cryptoKey, new TextEncoder().encode(text));
      }).then(function (sealed) {
        if (generation[reference] !== mine) { return; }
        storage.setItem(name, JSON.stringify({ t: Date.now(), iv: base64(iv), ct: base64(sealed) }));
      }).catch(function () {
        // a full or switched-off store: the text is still in the box
      });
    }

    function load(reference) {
      if (!enabled() || !reference) { return Promise.resolve(null); }
      return storageName(reference).then(function (name) {
        var kept;
        try {
          kept = JSON.parse(storage.getItem(name) || "null");
        } catch (error) {
          kept = null;
        }
        if (!kept || !kept.iv || !kept.ct) { return null; }
        return key().then(function (cryptoKey) {
          var bound = new TextEncoder().encode(name);
          return subtle.decrypt({ name: "AES-GCM", iv: bytes(kept.iv), additionalData: bound }, cryptoKey,
            bytes(kept.ct));
        }).then(function (plain) {
          return new TextDecoder().decode(plain);
        }).catch(function () {
          storage.removeItem(name);  // not readable with this account's key: of no use to anyone
          return null;
        });
      });
    }

    function remove(reference) {
      if (!enabled() || !reference) { return; }
      var mine = bump(reference);
      storageName(reference).then(function (name) {
        if (generation[reference] === mine) { storage.removeItem(name); }
      });
    }

    // Every draft in this browser, whoever's: at an explicit sign-out (the sign-out response also tells the
    // browser to clear the site's storage; this covers a browser that ignores that).
    function removeAll() {
      if (!storage) { return; }
      var found = [];
      for (var i = 0; i < storage.length; i += 1) {
        var name = storage.key(i);
        if (name && name.indexOf("app-draft:") === 0) { found.push(name); }
      }
      found.forEach(function (name) { storage.removeItem(name); });
    }

    // Drafts older than their lifetime go, whoever's they were (their age is not secret; their text is).
    function purgeOld() {
      if (!storage) { return; }
      var hours = parseFloat(document.body.getAttribute("data-draft-hours")) || 24;
      var oldest = Date.now() - hours * 3600 * 1000;
      var found = [];
      for (var i = 0; i < storage.length; i += 1) {
        var name = storage.key(i);
        if (name && name.indexOf("app-draft:") === 0) { found.push(name); }
      }
      found.forEach(function (name) {
        var kept;
        try {
          kept = JSON.parse(storage.getItem(name) || "null");
        } catch (error) {
          kept = null;
        }
        // A draft of the first kind (v1) carried the user name and reference in its name: it goes at once.
        var stale = name.indexOf(PREFIX) !== 0 || !kept || typeof kept.t !== "number" || kept.t < oldest;
        if (stale) { storage.removeItem(name); }
      });
    }

    return { save: save, load: load, remove: remove, removeAll: removeAll, purgeOld: purgeOld };
  }());

  // The assessment a form sends to, from its address (/chat/<reference>/send); null for other forms.
  function referenceOf(form) {
    var match = /\/chat\/([^/]+)\/send$/.exec(new URL(form.action, window.location.href).pathname);
    return match ? match[1] : null;
  }

  function sendForm() {
    var box = document.querySelector("form[data-enhance] textarea[name=text]");
    return box ? box.form : null;
  }

  // On load (and after each update): keep what the server put in the box (a refused or kept message) as the
  // draft, or put a draft back into an empty box, saying so.
  function restoreOrKeepDraft() {
    var form = sendForm();
    if (!form) { return; }
    var box = form.elements.text;
    var reference = referenceOf(form);
    if (box.value) {
      drafts.save(reference, box.value);
      return;
    }
    drafts.load(reference).then(function (text) {
      if (!text || box.value || !document.contains(box)) { return; }
      box.value = text;
      var note = document.createElement("div");
      note.id = "draft-restored";
      note.className = "govuk-inset-text";
      note.textContent = "We put back what you had typed here but not sent. Check it, then choose Send.";
      var group = box.closest(".govuk-form-group") || box;
      group.parentNode.insertBefore(note, group);
    });
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box.tagName !== "TEXTAREA" || box.name !== "text" || !box.form) { return; }
    drafts.save(referenceOf(box.form), box.value);
  });

  var busy = false;
  var lastClicked = null;  // for browsers without SubmitEvent.submitter

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[type=submit]") : null;
    lastClicked = button;
  });

  function formBody(form, submitter) {
    var body = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) { return; }
      if (field.type === "submit") {
        if (field === submitter) { body.append(field.name, field.value); }
        return;
      }
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) { return; }
      // A browser's own form post sends line breaks as CRLF; do the same so both paths send identical text.
      var value = field.tagName === "TEXTAREA" ? field.value.replace(/\r\n|\r|\n/g, "\r\n") : field.value;
      body.append(field.name, value);
    });
    return body;
  }

  function setDisabled(form, disabled) {
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      button.disabled = disabled;
    });
  }

  function adopt(node) {
    return document.importNode(node, true);
  }

  // Put `fresh` in place of `old`, then let govuk-init.js start the Design System components inside it.
  function swapIn(old, fresh) {
    if (!old || !fresh) { return; }
    old.replaceWith(fresh);
    fresh.dispatchEvent(new CustomEvent("app:updated", { bubbles: true }));
  }

  function focusAfterUpdate() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); return; }
    var target = document.querySelector("#choices button, #choices input") || document.getElementById("text");
    if (target) { target.focus({ preventScroll: true }); }
    var latest = document.getElementById("latest");
    if (latest) { latest.scrollIntoView({ block: "start" }); }
  }

  function showPage(doc) {
    var oldChat = document.getElementById("chat");
    var newChat = doc.getElementById("chat");
    if (!oldChat || !newChat) {
      // Not the chat page (signed out, a refused form): show what the server sent, as a full load would.
      // The classes set when the page loaded (govuk-supported.js) stay: the new body's scripts do not run.
      var body = adopt(doc.body);
      body.className = document.body.className;
      document.title = doc.title;
      swapIn(document.body, body);
      return;
    }
    var oldList = document.getElementById("messages");
    var newList = doc.getElementById("messages");
    if (oldList && newList && newList.children.length >= oldList.children.length) {
      // Append only the new messages so that the live region announces just those.
      Array.prototype.forEach.call(oldList.querySelectorAll("[id=latest]"), function (item) {
        item.removeAttribute("id");
        item.removeAttribute("tabindex");
      });
      for (var i = oldList.children.length; i < newList.children.length; i += 1) {
        oldList.appendChild(adopt(newList.children[i]));
      }
      var latest = newList.querySelector("#latest");
      if (latest) {
        var index = Array.prototype.indexOf.call(newList.children, latest);
        oldList.children[index].id = "latest";
        oldList.children[index].setAttribute("tabindex", "-1");
      }
      swapIn(document.getElementById("controls"), adopt(doc.getElementById("controls")));
    } else {
      swapIn(oldChat, adopt(newChat));
    }
    document.title = doc.title;
    focusAfterUpdate();
  }

  var CONNECTION_PROBLEM = "Your answer could not be sent. Check your connection, then try again. " +
    "Your text is still in the box.";
  var SERVER_PROBLEM = "Your answer could not be sent because of a problem with the service. " +
    "Your text is still in the box: try again in a minute.";
  var REFUSED_PAGE = "Your answer could not be sent. Your text is still in the box and kept in this " +
    "browser: reload the page, then try again.";

  function showConnectionProblem(form, message) {
    var note = document.getElementById("connection-problem");
    if (!note) {
      note = document.createElement("p");
      note.id = "connection-problem";
      note.className = "govuk-error-message";
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = message || CONNECTION_PROBLEM;
  }

  // Whether the server reached a live session: a page from an ended one is the sign-in page it was sent to.
  function reachedSession(response) {
    return !(response.redirected && new URL(response.url).pathname === "/sign-in");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-enhance")) { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var body = formBody(form, event.submitter || lastClicked);
    var reference = referenceOf(form);
    setDisabled(form, true);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      if (reachedSession(response)) {
        document.dispatchEvent(new CustomEvent("app:activity"));  // timeout.js: the session was used
      }
      return response.text().then(function (html) {
        return { response: response, doc: new DOMParser().parseFromString(html, "text/html") };
      });
    }).then(function (result) {
      var isChat = Boolean(result.doc.getElementById("chat"));
      if (!result.response.ok && !isChat) {
        // Not a page that answers the post (a server error, a refused form): keep this page and the text.
        setDisabled(form, false);
        showConnectionProblem(form, result.response.status >= 500 ? SERVER_PROBLEM : REFUSED_PAGE);
        return;
      }
      if (isChat && result.response.ok && reference) {
        var box = result.doc.querySelector("textarea[name=text]");
        if (!box || !box.value) { drafts.remove(reference); }  // sent: the reply shows it as said
      }
      showPage(result.doc);
      restoreOrKeepDraft();
    }).catch(function () {
      setDisabled(form, false);
      showConnectionProblem(form);
    }).then(function () {
      busy = false;
    });
  });

  // An explicit sign-out (the header's button, or the time-out warning's): nothing typed stays behind.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.action && new URL(form.action, window.location.href).pathname === "/sign-out") {
      drafts.removeAll();
    }
  }, true);

  drafts.purgeOld();
  restoreOrKeepDraft();
}());
