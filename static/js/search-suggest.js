/* Suggests service standards under a search box as one types.
   Any <input data-suggest-url="…"> gets a list of links below it, read from
   the site's own /search/suggest/ endpoint; without script the box still works. */
(function () {
  "use strict";
  function attach(input) {
    var list = document.createElement("ul");
    list.className = "search-suggest";
    list.id = input.id + "-suggest";
    list.setAttribute("aria-live", "polite");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    input.insertAdjacentElement("afterend", list);
    var timer = null;
    var asked = "";
    function show(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.code ? item.code + " · " + item.title : item.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }
    function ask() {
      var q = input.value.trim();
      if (q.length < 2) { show([]); return; }
      if (q === asked) { return; }
      asked = q;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {results: []}; })
        .then(function (data) { if (q === asked) { show(data.results || []); } })
        .catch(function () { show([]); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { show([]); }
    });
  }
  document.querySelectorAll("input[data-suggest-url]").forEach(attach);
})();
