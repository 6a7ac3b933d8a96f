/* Autocomplete for the search boxes: titles and department names from govdata_search_suggest.
 *
 * Every GET form's "q" box on the page gets a list of suggestions under it as the user types
 * (ARIA combobox: arrow keys move, Enter picks, Escape closes); picking one puts it in the box
 * and submits the form. The action's URL and the labels come from #govdata-search-suggest
 * (templates/govdata/search_suggest.html). No inline script, no HTML built from data: the
 * suggestions are text nodes.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var LIMIT = 8;
  var counter = 0;

  function typeOf(form) {
    // Suggest titles of the type the form searches (/dataset or /dataservice), else both.
    var path = new URL(form.action || window.location.href, window.location.href).pathname.replace(/\/+$/, "");
    var match = /\/(dataset|dataservice)$/.exec(path);
    return match ? match[1] : "";
  }

  function attach(input, config) {
    var form = input.form;
    var id = "govdata-suggest-" + (++counter);
    var list = document.createElement("ul");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    list.id = id;
    list.className = "govdata-suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", config.label);
    list.hidden = true;
    input.parentNode.classList.add("govdata-suggest-host");
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      items.forEach(function (item, position) {
        item.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      input.value = items[index].getAttribute("data-value");
      close();
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (suggestion, index) {
        var item = document.createElement("li");
        item.id = id + "-" + index;
        item.className = "govdata-suggest-item";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-value", suggestion.text);
        item.setAttribute("data-kind", suggestion.kind);
        item.appendChild(document.createTextNode(suggestion.text));
        if (suggestion.kind === "department") {
          var kind = document.createElement("small");
          kind.className = "govdata-suggest-kind";
          kind.appendChild(document.createTextNode(config.department));
          item.appendChild(kind);
        }
        // mousedown, not click: the box's blur would close the list first.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(index);
        });
        list.appendChild(item);
        return item;
      });
      active = -1;
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function ask() {
      var text = input.value.trim();
      var number = ++asked;
      if (!text) {
        close();
        return;
      }
      var url = new URL(config.url, window.location.href);
      url.searchParams.set("q", text);
      url.searchParams.set("limit", String(LIMIT));
      if (typeOf(form)) {
        url.searchParams.set("type", typeOf(form));
      }
      fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          // Only the answer to the latest text counts.
          if (number === asked && body && body.success && document.activeElement === input) {
            show(body.result.suggestions);
          }
        })
        .catch(function () {
          close();
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        mark((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        mark(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  var SEARCH_BOX = 'form input[type="text"][name="q"], form input[type="search"][name="q"]';

  function settings() {
    var config = document.getElementById("govdata-search-suggest");
    if (!config || !window.fetch || !window.URL) {
      return null;
    }
    return {
      url: config.getAttribute("data-url"),
      label: config.getAttribute("data-label"),
      department: config.getAttribute("data-department")
    };
  }

  // Boxes are attached when first focused: search pages replace their form (htmx) after a search.
  function start() {
    var config = settings();
    if (!config) {
      return;
    }
    function consider(input) {
      if (!input || !input.matches || !input.matches(SEARCH_BOX) || input.hasAttribute("data-govdata-suggest")) {
        return;
      }
      if ((input.form.getAttribute("method") || "get").toLowerCase() === "get") {
        input.setAttribute("data-govdata-suggest", "on");
        attach(input, config);
      }
    }
    document.addEventListener("focusin", function (event) {
      consider(event.target);
    });
    consider(document.activeElement);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
