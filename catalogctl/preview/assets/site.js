/* catalogctl preview / storefront: placeholders for images that cannot load, the product gallery,
   and search + category filter over the pre-rendered cards. Plain JavaScript, no network. */
(function () {
  "use strict";
  var PAGE = 48;
  var here = document.currentScript ? document.currentScript.src : "";
  var assetBase = here.slice(0, here.lastIndexOf("/") + 1);

  function broken(img) {
    var pic = img.closest(".pic");
    if (pic) {
      pic.classList.add("is-broken");
      pic.setAttribute("role", "img");
      pic.setAttribute("aria-label", (img.getAttribute("alt") || "Image") + " (image unavailable)");
    }
    img.remove();
  }

  // Capture phase: image errors do not bubble, and this runs before the first <img> is parsed.
  document.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.tagName === "IMG") { broken(target); }
  }, true);

  function sweep(root) {
    root.querySelectorAll(".pic img").forEach(function (img) {
      if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) { broken(img); }
    });
  }

  function gallery() {
    var main = document.querySelector(".gallery .main-pic");
    if (!main) { return; }
    document.querySelectorAll(".thumbs a[data-full]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var old = main.querySelector("img");
        if (old) { old.remove(); }
        main.classList.remove("is-broken");
        main.removeAttribute("role");
        main.removeAttribute("aria-label");
        var img = document.createElement("img");
        var thumb = link.querySelector("img");
        img.alt = thumb ? thumb.alt : link.getAttribute("aria-label");
        img.src = link.getAttribute("data-full");
        main.appendChild(img);
        document.querySelectorAll(".thumbs a").forEach(function (other) { other.removeAttribute("aria-current"); });
        link.setAttribute("aria-current", "true");
      });
    });
  }

  function filters() {
    var form = document.getElementById("filters");
    var grid = document.getElementById("grid");
    if (!form || !grid) { return; }
    var q = document.getElementById("q");
    var cat = document.getElementById("cat");
    var inactive = document.getElementById("inactive");
    var count = document.getElementById("count");
    var pager = document.getElementById("pager");
    var original = { grid: grid.innerHTML, count: count ? count.textContent : "" };
    var more = document.createElement("button");
    more.type = "button";
    more.className = "more-button";
    more.textContent = "Show more";
    more.hidden = true;
    grid.insertAdjacentElement("afterend", more);
    var matches = [];
    var shown = 0;
    var loading = false;

    function load(then) {
      if (window.CATALOG_CARDS) { then(); return; }
      if (loading) { return; }
      loading = true;
      var script = document.createElement("script");
      script.src = assetBase + "catalog-data.js";
      script.onload = function () { loading = false; then(); };
      document.head.appendChild(script);
    }

    function showMore() {
      var next = matches.slice(shown, shown + PAGE).map(function (row) { return row[3]; }).join("");
      grid.insertAdjacentHTML("beforeend", next);
      shown = Math.min(matches.length, shown + PAGE);
      sweep(grid);
      more.hidden = shown >= matches.length;
      count.textContent = matches.length ? "Showing 1–" + shown + " of " + matches.length + " matching products"
        : "No products match.";
    }

    function apply() {
      var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var wanted = cat.value;
      var all = inactive.checked;
      if (!terms.length && !wanted && all) {
        grid.innerHTML = original.grid;
        count.textContent = original.count;
        more.hidden = true;
        if (pager) { pager.hidden = false; }
        sweep(grid);
        return;
      }
      load(function () {
        matches = window.CATALOG_CARDS.filter(function (row) {
          if (wanted && row[1] !== wanted) { return false; }
          if (!all && !row[2]) { return false; }
          return terms.every(function (term) { return row[0].indexOf(term) !== -1; });
        });
        grid.innerHTML = "";
        shown = 0;
        if (pager) { pager.hidden = true; }
        showMore();
      });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    q.addEventListener("input", apply);
    cat.addEventListener("change", apply);
    inactive.addEventListener("change", apply);
    more.addEventListener("click", showMore);
    var hash = /(?:^#|&)cat=([^&]+)/.exec(window.location.hash);
    if (hash) { cat.value = decodeURIComponent(hash[1]); apply(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    sweep(document);
    gallery();
    filters();
  });
}());
