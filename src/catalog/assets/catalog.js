// meshform catalog: progressive enhancement only; every page works without it.
'use strict';

(function () {
  function setUpSearch() {
    var input = document.getElementById('search');
    if (!input) return;
    var cards = Array.prototype.slice.call(document.querySelectorAll('.card[data-search]'));
    var domains = Array.prototype.slice.call(document.querySelectorAll('section.domain'));
    var status = document.getElementById('search-status');
    var none = document.getElementById('no-results');

    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      cards.forEach(function (card) {
        var text = card.getAttribute('data-search');
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        card.hidden = !match;
        if (match) shown++;
      });
      domains.forEach(function (section) {
        section.hidden = section.querySelector('.card:not([hidden])') === null;
      });
      if (none) none.hidden = shown !== 0;
      if (status) status.textContent = words.length ? shown + ' of ' + cards.length + ' products match' : '';
    }

    input.addEventListener('input', apply);
    input.addEventListener('keydown', function (event) {
      // Enter opens the only match, or the first one.
      if (event.key !== 'Enter') return;
      var first = document.querySelector('.card:not([hidden]) h3 a');
      if (first) {
        event.preventDefault();
        first.click();
      }
    });
    var query = new URLSearchParams(window.location.search).get('q');
    if (query) {
      input.value = query;
      apply();
      input.focus();
    }
  }

  function setUpGetAccess() {
    var select = document.getElementById('access-as');
    if (!select) return;
    var products = window.meshformProducts || [];
    var self = select.getAttribute('data-product');
    products.forEach(function (p) {
      if (p.id === self) return;
      var option = document.createElement('option');
      option.value = p.urn;
      option.textContent = p.title + ' (' + p.id + ')';
      select.appendChild(option);
    });
    select.closest('.access-as').hidden = false;
    var placeholder = select.getAttribute('data-placeholder');
    select.addEventListener('change', function () {
      var urn = select.value || placeholder;
      document.querySelectorAll('[data-urn]').forEach(function (span) { span.textContent = urn; });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setUpSearch();
    setUpGetAccess();
  });
})();
