// Progressive enhancement for the chat page: post the form in the background and update the page in place.
// Without this file everything still works by ordinary form posts. The server is the same either way: the
// answer goes to the same address, and this script reads the same HTML page the browser would have loaded.
(function () {
  "use strict";

  if (!window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }

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
    var target = document.querySelector("#choices button") || document.getElementById("text");
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

  function showConnectionProblem(form) {
    var note = document.getElementById("connection-problem");
    if (!note) {
      note = document.createElement("p");
      note.id = "connection-problem";
      note.className = "govuk-error-message";
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = "Your answer could not be sent. Check your connection, then try again. " +
      "Your text is still in the box.";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-enhance")) { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var body = formBody(form, event.submitter || lastClicked);
    setDisabled(form, true);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      showPage(new DOMParser().parseFromString(html, "text/html"));
    }).catch(function () {
      setDisabled(form, false);
      showConnectionProblem(form);
    }).then(function () {
      busy = false;
    });
  });
}());
