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

  // A suggestion panel (.search-suggest) makes its box an ARIA combobox: focus stays in the
  // box, the arrows move the active option (aria-activedescendant), Enter opens it, Escape
  // and Tab close the list. The search page's own results stay a list of links (below).
  function isCombobox(box) {
    var panel = document.querySelector(box.dataset.results);
    return panel && panel.classList.contains("search-suggest");
  }

  function statusOf(box) {
    // A short count for screen readers, never the whole list.
    var id = box.id + "-status";
    var status = document.getElementById(id);
    if (!status) {
      status = document.createElement("p");
      status.id = id;
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      box.parentElement.appendChild(status);
    }
    return status;
  }

  function setActive(box, index) {
    var options = resultsOf(box);
    options.forEach(function (option, i) {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && options[index]) {
      box.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      box.removeAttribute("aria-activedescendant");
    }
    box.dataset.active = String(index);
  }

  function closeList(box) {
    var panel = document.querySelector(box.dataset.results);
    if (panel) panel.innerHTML = "";
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    box.dataset.active = "-1";
  }

  function prepare(box) {
    var panel = document.querySelector(box.dataset.results);
    var list = panel && panel.querySelector("ol.results");
    var options = resultsOf(box);
    if (isCombobox(box)) {
      box.setAttribute("role", "combobox");
      box.setAttribute("aria-autocomplete", "list");
      box.setAttribute("aria-controls", panel.id + "-list");
      box.setAttribute("aria-expanded", options.length ? "true" : "false");
      if (list) {
        list.id = panel.id + "-list";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "Suggestions");
        Array.prototype.forEach.call(list.children, function (item) { item.setAttribute("role", "none"); });
      }
      options.forEach(function (option, i) {
        option.id = panel.id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("tabindex", "-1");
      });
      setActive(box, -1);
    }
    if (!panel) return;
    var error = panel.querySelector(".search-error");
    var count = panel.querySelector(".result-count");
    var words = error ? "" : count ? count.textContent.trim() : "";
    if (isCombobox(box)) words = options.length ? options.length + " suggestion" + (options.length === 1 ? "" : "s") + ", use the arrow keys" : "";
    statusOf(box).textContent = words;
  }

  document.querySelectorAll("input[data-results]").forEach(prepare);
  document.addEventListener("htmx:afterSwap", function (event) {
    document.querySelectorAll("input[data-results]").forEach(function (box) {
      if (event.detail.target.matches(box.dataset.results)) prepare(box);
    });
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target.closest && event.target.closest("input[data-results]");
    if (box && isCombobox(box)) {
      var options = resultsOf(box);
      var active = parseInt(box.dataset.active || "-1", 10);
      if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        setActive(box, Math.min(active + 1, options.length - 1));
      } else if (event.key === "ArrowUp" && options.length) {
        event.preventDefault();
        setActive(box, active - 1);
      } else if (event.key === "Enter" && options[active]) {
        event.preventDefault();
        window.location.href = options[active].href;
      } else if (event.key === "Escape" || event.key === "Tab") {
        closeList(box);
      }
      return;
    }
    if (box) {
      if (event.key === "ArrowDown") {
        var first = resultsOf(box)[0];
        if (first) {
          event.preventDefault();
          first.focus();
        }
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
      if (panel.parentElement.contains(event.target)) return;
      var box = document.querySelector('input[data-results="#' + panel.id + '"]');
      if (box) closeList(box);
      else panel.innerHTML = "";
    });
  });
})();
