/**
 * The one script of the admin pages, served from /admin/assets/admin.js (the CSP allows no
 * inline script). It keeps the recipients' status live from the server-sent events of
 * /admin/recipients/stream, and asks before destructive actions.
 */
export const SCRIPT = `'use strict';
(function () {
  var FIELDS = ['name', 'disabled', 'url', 'events', 'status', 'queued', 'failed',
    'oldestPending', 'lastSuccess', 'lastError', 'rate'];

  function cell(tr, field, row) {
    var td = document.createElement('td');
    td.setAttribute('data-field', field);
    if (field === 'name') {
      var a = document.createElement('a');
      a.href = '/admin/recipients/' + row.id;
      td.appendChild(a);
    }
    tr.appendChild(td);
  }

  function update(root, row) {
    FIELDS.forEach(function (field) {
      root.querySelectorAll('[data-field="' + field + '"]').forEach(function (el) {
        var target = el.querySelector('a') || el;
        var text = row[field] === null || row[field] === undefined ? '' : String(row[field]);
        if (target.textContent !== text) target.textContent = text;
        if (field === 'status') el.setAttribute('data-kind', row.statusKind);
      });
    });
  }

  function apply(rows) {
    var tbody = document.querySelector('tbody[data-stream-rows]');
    var seen = {};
    rows.forEach(function (row) {
      seen[row.id] = true;
      var roots = document.querySelectorAll('[data-recipient-id="' + row.id + '"]');
      if (roots.length === 0 && tbody) {
        var tr = document.createElement('tr');
        tr.setAttribute('data-recipient-id', row.id);
        FIELDS.forEach(function (f) { cell(tr, f, row); });
        tbody.appendChild(tr);
        roots = [tr];
      }
      roots.forEach(function (root) { update(root, row); });
    });
    if (tbody) {
      tbody.querySelectorAll('tr[data-recipient-id]').forEach(function (tr) {
        if (!seen[tr.getAttribute('data-recipient-id')]) tr.remove();
      });
      var empty = document.querySelector('[data-empty]');
      if (empty) empty.hidden = rows.length > 0;
    }
  }

  var live = document.querySelector('[data-stream]');
  if (live && window.EventSource) {
    var indicator = document.querySelector('[data-live]');
    var source = new EventSource(live.getAttribute('data-stream'));
    source.addEventListener('recipients', function (event) {
      apply(JSON.parse(event.data));
      if (indicator) { indicator.textContent = 'live'; indicator.setAttribute('data-kind', 'ok'); }
    });
    source.addEventListener('error', function () {
      if (indicator) { indicator.textContent = 'reconnecting…'; indicator.setAttribute('data-kind', 'retrying'); }
    });
  }

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
})();
`;
