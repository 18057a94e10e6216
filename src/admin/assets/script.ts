/**
 * The one script of the admin pages, served from /admin/assets/admin.js (the CSP allows no
 * inline script). It keeps the recipients' status live from the server-sent events of
 * /admin/recipients/stream, asks before destructive actions, generates signing secrets and
 * selects every row of the events list.
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
        if (field === 'lastSuccess' && row.lastSuccessAt) {
          // A <time>: relative, the exact time on hover.
          var time = el.querySelector('time');
          if (!time) {
            time = document.createElement('time');
            el.textContent = '';
            el.appendChild(time);
          }
          time.setAttribute('datetime', row.lastSuccessAt);
          time.title = row.lastSuccessTitle || '';
          target = time;
        }
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

  // The recipient form's Generate: a Standard Webhooks secret of 32 random bytes. Hidden
  // without this script, which is the only thing that can fill it in.
  document.querySelectorAll('[data-generate-secret]').forEach(function (button) {
    var input = document.getElementById('secret');
    if (!input || !window.crypto || !window.crypto.getRandomValues) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var bytes = window.crypto.getRandomValues(new Uint8Array(32));
      var binary = '';
      for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
      input.value = 'whsec_' + window.btoa(binary);
      input.focus();
      input.select();
    });
  });

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
})();
`;
