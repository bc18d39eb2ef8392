/*
 * The Share / Download menus (observatory/components/share.py): keep each menu's links on the
 * page's current view, copy the link or the embed code, and give the embed code the site's address.
 * The links work without this script (they carry the query the page was opened with).
 */
(function () {
  "use strict";

  function query(menu) {
    return menu.getAttribute("data-live") === "1" ? window.location.search : menu.getAttribute("data-query") || "";
  }

  function refresh(menu) {
    var chart = menu.getAttribute("data-chart");
    var q = query(menu);
    menu.querySelectorAll("a[data-export]").forEach(function (link) {
      link.setAttribute("href", "/export/" + chart + "." + link.getAttribute("data-export") + q);
    });
    var embed = menu.querySelector("textarea.share-embed");
    if (embed) {
      var src = window.location.origin + "/embed/" + chart + q;
      embed.value = embed.value.replace(/src="[^"]*"/, 'src="' + src.replace(/"/g, "&quot;") + '"');
    }
  }

  function say(menu, text) {
    var status = menu.querySelector(".share-status");
    if (status) {
      status.textContent = text;
    }
  }

  function copy(menu, text, done) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { say(menu, done); }, function () {
        say(menu, "Copying is blocked here: select the text and copy it.");
      });
    } else {
      say(menu, "Copying is blocked here: select the text and copy it.");
    }
  }

  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (menu.classList && menu.classList.contains("share-menu") && menu.open) {
      refresh(menu);
    }
  }, true);

  document.addEventListener("click", function (event) {
    var deck = event.target.closest ? event.target.closest("a[data-deck]") : null;
    if (deck) {
      deck.setAttribute("href", "/export/benchmark-deck.pptx" + window.location.search);
      return;
    }
    var target = event.target.closest ? event.target.closest("[data-share], a[data-export]") : null;
    var menu = target ? target.closest(".share-menu") : null;
    if (!menu) {
      return;
    }
    refresh(menu);
    var action = target.getAttribute("data-share");
    if (action === "link") {
      var page = menu.getAttribute("data-live") === "1" ? window.location.href
        : window.location.origin + window.location.pathname;
      copy(menu, page, "Link copied.");
    } else if (action === "embed") {
      var embed = menu.querySelector("textarea.share-embed");
      copy(menu, embed ? embed.value : "", "Embed code copied.");
    }
  });
})();
