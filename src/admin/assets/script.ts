/**
 * The one script of the admin pages, served from /admin/assets/admin.js (the CSP allows no
 * inline script). It keeps the recipients' status live from the server-sent events of
 * /admin/recipients/stream, asks before destructive actions, generates signing secrets and
 * keeps relative times current.
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
          // A <time>: relative, the exact time (the row's text) on hover.
          var time = el.querySelector('time');
          if (!time) {
            time = document.createElement('time');
            el.textContent = '';
            el.appendChild(time);
          }
          time.setAttribute('datetime', row.lastSuccessAt);
          time.title = text;
          text = relative(Date.parse(row.lastSuccessAt), Date.now());
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

  // Relative times ("5 min ago") as the server wrote them grow stale in an open page: kept
  // current from their datetime, in the server's words (format.ts formatRelative).
  function relative(ms, now) {
    var delta = Math.round((ms - now) / 1000);
    var s = Math.abs(delta);
    if (s < 5) return 'just now';
    var amount;
    if (s < 60) amount = s + ' s';
    else if (s < 3600) amount = Math.floor(s / 60) + ' min';
    else if (s < 86400) amount = Math.floor(s / 3600) + ' h';
    else if (s < 60 * 86400) amount = Math.floor(s / 86400) + ' d';
    else return new Date(ms).toISOString().slice(0, 10);
    return delta < 0 ? amount + ' ago' : 'in ' + amount;
  }
  setInterval(function () {
    var now = Date.now();
    document.querySelectorAll('time[datetime]').forEach(function (time) {
      var ms = Date.parse(time.getAttribute('datetime'));
      if (isNaN(ms)) return;
      var text = relative(ms, now);
      if (time.textContent !== text) time.textContent = text;
    });
  }, 5000);

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
})();
`;
