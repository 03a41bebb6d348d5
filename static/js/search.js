// Search boxes: keyboard moves through the results; htmx shows search errors in place.
// Every box is an <input data-results="#id"> whose results are links a.result inside #id.
(function () {
  "use strict";

  function resultsOf(box) {
    var container = document.querySelector(box.dataset.results);
    return container ? Array.prototype.slice.call(container.querySelectorAll("a.result")) : [];
  }

  function boxOf(link) {
    var container = link.closest("[data-search-results]");
    return container && document.querySelector('input[data-results="#' + container.id + '"]');
  }

  document.addEventListener("keydown", function (event) {
    var box = event.target.closest && event.target.closest("input[data-results]");
    if (box) {
      if (event.key === "ArrowDown") {
        var first = resultsOf(box)[0];
        if (first) {
          event.preventDefault();
          first.focus();
        }
      } else if (event.key === "Escape" && box.dataset.results !== "#search-results") {
        document.querySelector(box.dataset.results).innerHTML = "";
      }
      return;
    }
    var link = event.target.closest && event.target.closest("[data-search-results] a.result");
    if (!link) return;
    var owner = boxOf(link);
    var links = owner ? resultsOf(owner) : [];
    var index = links.indexOf(link);
    if (event.key === "ArrowDown" && index < links.length - 1) {
      event.preventDefault();
      links[index + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (index > 0 ? links[index - 1] : owner).focus();
    } else if (event.key === "Escape" && owner) {
      event.preventDefault();
      owner.focus();
    }
  });

  // htmx leaves 4xx answers unswapped; a search's 400 (bad query) or 429 (too fast) says why.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 400 || status === 429) && event.detail.target.matches("[data-search-results]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // History snapshots keep the typed text, so Back shows the query with its own results.
  document.addEventListener("htmx:beforeHistorySave", function () {
    document.querySelectorAll("input[data-results]").forEach(function (box) {
      box.setAttribute("value", box.value);
    });
    document.querySelectorAll(".search-suggest").forEach(function (panel) {
      panel.innerHTML = "";
    });
  });

  // A suggestion panel closes when the reader clicks elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll(".search-suggest").forEach(function (panel) {
      if (!panel.parentElement.contains(event.target)) panel.innerHTML = "";
    });
  });
})();
