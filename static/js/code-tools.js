// Code page tools: copy the code to the clipboard, print the page.
// The buttons are hidden in the HTML and shown here, so without JavaScript none is dead.
(function () {
  "use strict";

  function say(button, text) {
    var status = button.parentElement.querySelector(".copy-status");
    if (status) {
      status.textContent = text;
    }
  }

  // Outside a secure context (plain http on another host) there is no clipboard API.
  function copyWithSelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var done = document.execCommand("copy");
    document.body.removeChild(field);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyWithSelection(text);
      });
    }
    return copyWithSelection(text);
  }

  function start() {
    document.querySelectorAll("[data-copy-code], [data-print-page]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var copyButton = event.target.closest && event.target.closest("[data-copy-code]");
    if (copyButton) {
      copy(copyButton.dataset.copyCode).then(
        function () { say(copyButton, "Copied " + copyButton.dataset.copyCode); },
        function () { say(copyButton, "Could not copy: select the code and copy it yourself."); }
      );
      return;
    }
    if (event.target.closest && event.target.closest("[data-print-page]")) {
      window.print();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
