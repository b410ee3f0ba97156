// Parley's own script. htmx does the talking to the server; this file adds
// what htmx does not: the CSRF header, error handling for 4xx/5xx answers,
// keyboard shortcuts, the composer's Enter-to-send and Esc, reply drafts,
// the live indicator and scroll keeping in a thread.
//
// The Content-Security-Policy allows no inline script, no eval and no inline
// style, so htmx is configured by <meta name="htmx-config"> (allowEval:
// false, includeIndicatorStyles: false, responseHandling …) and every hook
// here is found by id or by a data-js attribute that the templates set.
(function () {
  'use strict'

  var SHORTCUTS_KEY = 'parley:shortcuts'
  var STICK_DISTANCE = 80

  function $(selector, root) { return (root || document).querySelector(selector) }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)) }

  // ---- CSRF: every htmx request carries the token from the page's meta tag.

  function csrfToken() {
    var meta = $('meta[name="csrf-token"]')
    return meta ? meta.getAttribute('content') : ''
  }

  document.addEventListener('htmx:configRequest', function (evt) {
    var token = csrfToken()
    if (token) evt.detail.headers['X-CSRF-Token'] = token
  })

  // ---- Toasts.

  var TOAST_TIMEOUT = { success: 5000, info: 5000, error: 9000 }

  // toast shows a message built from the Toast component's <template>, so
  // the markup lives in one place and text is set as text, never as HTML.
  function toast(message) {
    var region = $('#toasts')
    var tpl = $('#toast-template')
    if (!region || !tpl) return
    var node = tpl.content.firstElementChild.cloneNode(true)
    var text = $('[data-js="toast-message"]', node)
    if (text) text.textContent = message
    region.appendChild(node)
  }

  function scheduleToast(node) {
    if (!(node instanceof HTMLElement) || node.dataset.timer) return
    var kind = node.getAttribute('data-kind') || 'info'
    node.dataset.timer = '1'
    node.parleyTimer = setTimeout(function () { node.remove() }, TOAST_TIMEOUT[kind] || 6000)
  }

  // mergeToast folds a toast into an earlier one showing the same words:
  // the earlier one counts it ("×2") and stays for another full while, so a
  // repeated failure is one toast, not a stack. True when node was merged
  // (and removed).
  function mergeToast(node) {
    if (!node.isConnected) return true
    var words = toastWords(node)
    var same = $$('[data-testid="toast"]', $('#toasts')).filter(function (t) {
      return t !== node && (t.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) &&
        t.getAttribute('data-kind') === node.getAttribute('data-kind') && toastWords(t) === words
    })[0]
    if (!same) return false
    node.remove()
    var counter = $('[data-testid="toast-count"]', same)
    if (!counter) {
      counter = document.createElement('span')
      counter.setAttribute('data-testid', 'toast-count')
      counter.className = 'shrink-0 rounded bg-white/15 px-1.5 text-xs font-semibold leading-5 tabular-nums'
      var text = $('[data-js="toast-message"]', same)
      if (text) text.after(counter)
      else same.appendChild(counter)
    }
    var n = (parseInt(counter.getAttribute('data-count'), 10) || 1) + 1
    counter.setAttribute('data-count', String(n))
    counter.textContent = '×' + n
    clearTimeout(same.parleyTimer)
    delete same.dataset.timer
    scheduleToast(same)
    return true
  }

  function toastWords(node) {
    var text = $('[data-js="toast-message"]', node)
    return (text ? text.textContent : node.textContent).trim()
  }

  function watchToasts() {
    var region = $('#toasts')
    if (!region) return
    $$('[data-testid="toast"]', region).forEach(scheduleToast)
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        Array.prototype.forEach.call(r.addedNodes, function (n) {
          if (n instanceof HTMLElement) {
            var added = n.matches('[data-testid="toast"]') ? [n] : $$('[data-testid="toast"]', n)
            added.forEach(function (t) { if (!mergeToast(t)) scheduleToast(t) })
          }
        })
      })
    }).observe(region, { childList: true, subtree: true })
  }

  document.addEventListener('click', function (evt) {
    var btn = evt.target.closest && evt.target.closest('[data-js="dismiss-toast"]')
    if (btn) {
      var t = btn.closest('[data-testid="toast"]')
      if (t) t.remove()
    }
  })

  // ---- Error answers. The htmx-config meta swaps 422 into the request's
  // target (inline validation) and 4xx/5xx with error:true; the server sends
  // those as a toast with HX-Retarget: #toasts. This is the safety net for
  // answers that do not: an empty body or a whole page becomes a plain toast,
  // and a fragment without HX-Retarget goes to #toasts rather than replacing
  // the target.

  function statusMessage(status) {
    if (status === 401) return 'Your session has ended. Reload the page to sign in again.'
    if (status === 403) return 'You are not allowed to do that.'
    if (status === 404) return 'That is no longer here. Reload the page.'
    if (status === 409) return 'Someone changed this at the same time. Reload and try again.'
    if (status === 413) return 'That is too large to send.'
    if (status === 422) return 'Please check what you entered.'
    if (status === 429) return 'Too many requests. Wait a moment and try again.'
    if (status >= 500) return 'Something went wrong on our side. Try again in a moment.'
    return 'That did not work (error ' + status + ').'
  }

  document.addEventListener('htmx:beforeSwap', function (evt) {
    var xhr = evt.detail.xhr
    if (!xhr || xhr.status < 400) return
    var body = (xhr.responseText || '').trim()
    var wholePage = /^<!doctype|^<html/i.test(body)
    if (!body || wholePage) {
      evt.detail.shouldSwap = false
      toast(statusMessage(xhr.status))
      return
    }
    if (xhr.status === 422) return
    evt.detail.shouldSwap = true
    if (!xhr.getResponseHeader('HX-Retarget')) {
      var region = $('#toasts')
      if (region) {
        evt.detail.target = region
        evt.detail.swapOverride = 'beforeend'
      }
    }
  })

  document.addEventListener('htmx:sendError', function () {
    toast('Cannot reach Parley. Check your connection and try again.')
  })
  document.addEventListener('htmx:timeout', function () {
    toast('Parley took too long to answer. Try again.')
  })

  // ---- Live indicator, driven by the htmx SSE extension's events.

  var LIVE_LABELS = { live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline' }

  function setLive(state) {
    var el = $('#live-status')
    if (!el || el.getAttribute('data-state') === state) return
    el.setAttribute('data-state', state)
    var label = $('[data-js="live-label"]', el)
    if (label) label.textContent = LIVE_LABELS[state] || state
  }

  document.addEventListener('htmx:sseOpen', function () { setLive('live') })
  // The extension reconnects with back-off after an error, so an error
  // means "reconnecting" unless the browser knows it is offline.
  document.addEventListener('htmx:sseError', function () {
    setLive(navigator.onLine === false ? 'offline' : 'reconnecting')
  })
  document.addEventListener('htmx:sseClose', function () { setLive('offline') })
  window.addEventListener('offline', function () { if ($('[sse-connect]')) setLive('offline') })
  window.addEventListener('online', function () { if ($('[sse-connect]')) setLive('reconnecting') })

  // ---- Live changes in place. A live update that changes a region the
  // agent may be using (the open thread's header, with its menus) is
  // morphed by idiomorph rather than replaced: a <details> menu keeps its
  // open state, as does a phone's actions menu (its toggle's
  // aria-expanded), the focused field its value, and a field someone has
  // typed in keeps the text, even when it no longer has the focus.

  function keepWhatTheAgentIsDoing() {
    var morph = window.Idiomorph
    if (!morph) return
    morph.defaults.ignoreActiveValue = true
    morph.defaults.callbacks.beforeAttributeUpdated = function (name, el) {
      if (name === 'open' && el.tagName === 'DETAILS') return false
      if (name === 'aria-expanded' && el.matches('[data-js="actions-toggle"]')) return false
    }
    morph.defaults.callbacks.beforeNodeMorphed = function (old) {
      if ((old.tagName === 'TEXTAREA' || old.tagName === 'INPUT') && old.value !== old.defaultValue) return false
    }
  }
  keepWhatTheAgentIsDoing()

  // ---- Live feed. Each event of /events is HTML that the SSE extension
  // swaps out of band (app/web/events.go): message bubbles into an open
  // thread, conversation rows and the unread badge by id. Here rows move to
  // their place in the list (newest activity first) and new conversations
  // appear, the tab title follows the unread count, and focus stays where
  // it was.

  var lastEventId = 0
  var swappedRows = []
  var focusedRow = null

  // When the browser gives up on a stream, the extension opens a new one at
  // the page's URL; resume from the newest event seen instead, so the
  // replay holds only what was missed.
  var liveSource = null
  if (window.htmx) {
    var createEventSource = window.htmx.createEventSource
    window.htmx.createEventSource = function (url) {
      if (lastEventId > 0) url = url.replace(/([?&]last_event_id=)\d+/, '$1' + lastEventId)
      liveSource = createEventSource ? createEventSource(url) : new EventSource(url, { withCredentials: true })
      return liveSource
    }
  }
  // A tab that goes away, or into the back-forward cache, closes its stream
  // itself, so its user's stream slot is free before the next page asks for
  // one; a page restored from that cache loads afresh, with a new stream.
  window.addEventListener('pagehide', function () {
    if (liveSource) liveSource.close()
  })
  window.addEventListener('pageshow', function (evt) {
    if (evt.persisted && liveSource) window.location.reload()
  })

  function rowOrder(el) {
    return [Number(el.getAttribute('data-at')) || 0, Number(el.id.replace('conversation-', '')) || 0]
  }

  // newer reports whether row a comes before row b: later activity first,
  // then the higher id, as the server orders the list.
  function newer(a, b) {
    var ka = rowOrder(a)
    var kb = rowOrder(b)
    return ka[0] > kb[0] || (ka[0] === kb[0] && ka[1] > kb[1])
  }

  // placeRow moves row to its place among the loaded rows. A row that now
  // sorts after every loaded row belongs to a page not loaded yet.
  function placeRow(row) {
    var list = $('#conversation-rows')
    if (!list || row.parentNode !== list) return
    var prev = row.previousElementSibling
    var next = row.nextElementSibling
    var inPlace = (!prev || newer(prev, row)) && (!next || next.id === 'load-more' || newer(row, next))
    if (inPlace) return
    var more = $('#load-more', list)
    var before = null
    $$('[data-testid="conversation-row"]', list).some(function (r) {
      if (r !== row && newer(row, r)) { before = r; return true }
      return false
    })
    if (!before && more) { row.remove(); return }
    list.insertBefore(row, before || more)
  }

  // listShows reports whether the list on screen would include row: no
  // search, and a filter the conversation matches.
  function listShows(row) {
    var search = $('#search')
    if (search && search.value.trim() !== '') return false
    var filter = ($('#filter-value') || {}).value || 'open'
    var label = ($('#label-value') || {}).value || ''
    if (label && (row.getAttribute('data-labels') || '').indexOf(' ' + label + ' ') < 0) return false
    var number = ($('#number-value') || {}).value || ''
    if (number && row.getAttribute('data-channel') !== number) return false
    var snoozed = row.hasAttribute('data-snoozed')
    if (filter === 'snoozed') return snoozed
    if (snoozed && (filter === 'open' || filter === 'mine' || filter === 'unassigned')) return false
    if (filter === 'open' || filter === 'closed') return row.getAttribute('data-status') === filter
    if (filter === 'opted_out') return row.getAttribute('data-opted-out') === 'true'
    if (filter === 'failed') return row.getAttribute('data-status') === 'open' && row.hasAttribute('data-reply-failed')
    if (filter === 'mine') return row.getAttribute('data-status') === 'open' && row.getAttribute('data-assignee') === myId()
    if (filter === 'unassigned') return row.getAttribute('data-status') === 'open' && !row.hasAttribute('data-assignee')
    return true
  }

  // myId is the signed-in user's id, for the "Mine" list.
  function myId() {
    var m = $('meta[name="user-id"]')
    return m ? m.getAttribute('content') : ''
  }

  function openConversationId() {
    var t = $('#thread [data-testid="thread"]')
    return t ? t.getAttribute('data-conversation-id') : null
  }

  function setUnreadTitle(n) {
    var base = document.title.replace(/^\(\d+\) /, '')
    document.title = n > 0 ? '(' + n + ') ' + base : base
  }

  document.addEventListener('htmx:sseBeforeMessage', function (evt) {
    var msg = evt.detail || {}
    var id = parseInt(msg.lastEventId, 10)
    if (id > lastEventId) lastEventId = id
    var active = document.activeElement
    var row = active && active.closest ? active.closest('[data-testid="conversation-row"]') : null
    focusedRow = row ? row.id : null
    if (typeof msg.data === 'string') notifyNewTexts(msg.data)
  })

  document.addEventListener('htmx:oobAfterSwap', function (evt) {
    var el = evt.target
    if (!(el instanceof HTMLElement)) return
    if (el.matches('[data-testid="conversation-row"]') && swappedRows.indexOf(el) < 0) swappedRows.push(el)
    if (el.id === 'nav-unread') setUnreadTitle(parseInt(el.getAttribute('data-count'), 10) || 0)
  })

  // The live sink's extension drops the fragments whose target is not on
  // this page (a message of a thread that is not open), which htmx would
  // otherwise report as errors, and keeps the rows of conversations the
  // list does not show yet for addRow.
  var newRows = []
  if (window.htmx) {
    // refreshPage fetches the list as it is filtered and searched (the
    // search box's own request) and the open thread's header.
    var refreshPage = function () {
      var search = $('#search')
      if (search) window.htmx.trigger(search, 'search')
      var sync = $('[id^="thread-sync-"]')
      if (sync) {
        var id = sync.id.slice('thread-sync-'.length)
        window.htmx.ajax('GET', '/conversations/' + id + '/header', { source: sync, target: '#thread-header-' + id, swap: 'morph' })
      }
    }
    window.htmx.defineExtension('parley-live', {
      transformResponse: function (text) {
        var tpl = document.createElement('template')
        tpl.innerHTML = text
        keepOpenThreadRead(tpl.content)
        Array.prototype.slice.call(tpl.content.children).forEach(function (el) {
          // The server's word on the feed itself: the event bus is down
          // (updates wait) or back.
          var state = el.getAttribute('data-live-state')
          if (state) { setLive(state); el.remove(); return }
          if (el.hasAttribute('data-live-refresh')) { el.remove(); refreshPage(); return }
          var oob = el.getAttribute('hx-swap-oob')
          if (!oob) return
          var i = oob.indexOf(':')
          var target = i > 0 ? oob.slice(i + 1) : '#' + CSS.escape(el.id)
          if (document.querySelector(target)) return
          el.remove()
          if (el.matches('[data-testid="conversation-row"]')) newRows.push(el)
          if (el.matches('[data-testid="message"]')) holdStatus(el)
        })
        return tpl.innerHTML
      }
    })
  }

  // A message can reach the page twice (a reply's own answer and the live
  // feed), and its status can arrive before the message itself when the
  // carrier is quick. Keep one element per message, with the furthest
  // status: statuses only move forward.
  var statusRank = { queued: 1, sending: 2, sent: 3, received: 4, delivered: 4, undelivered: 4, failed: 4, rejected: 4 }
  function rank(el) { return statusRank[el.getAttribute('data-status')] || 0 }
  var heldStatus = {}
  var heldOrder = []
  function holdStatus(el) {
    var old = heldStatus[el.id]
    if (old && rank(old) >= rank(el)) return
    if (!old) heldOrder.push(el.id)
    heldStatus[el.id] = el
    while (heldOrder.length > 50) delete heldStatus[heldOrder.shift()]
  }
  document.addEventListener('htmx:oobBeforeSwap', function (evt) {
    var d = evt.detail || {}
    var target = d.target
    var frag = d.fragment
    if (!frag || !(target instanceof HTMLElement)) return
    if (target.matches('[data-testid="messages"]')) {
      // A note or activity line reaches its author twice too (the form's
      // answer and the live feed): keep the first.
      Array.prototype.slice.call(frag.querySelectorAll('[data-testid="note"], [data-testid="activity"]')).forEach(function (li) {
        if (document.getElementById(li.id)) li.remove()
      })
      Array.prototype.slice.call(frag.querySelectorAll('[data-testid="message"]')).forEach(function (li) {
        var held = heldStatus[li.id]
        if (held) {
          delete heldStatus[li.id]
          if (rank(held) > rank(li)) { li.replaceWith(held); li = held }
        }
        var existing = document.getElementById(li.id)
        if (!existing) return
        if (rank(li) > rank(existing)) existing.replaceWith(li)
        else li.remove()
      })
      return
    }
    if (target.matches('[data-testid="message"]')) {
      var incoming = frag.matches && frag.matches('[data-testid="message"]') ? frag : frag.querySelector('[data-testid="message"]')
      if (incoming && rank(incoming) < rank(target)) d.shouldSwap = false
    }
  })

  // A thread's scheduled messages come whole with every change to them
  // (the composer's answer, and the live feed after each edit or cancel,
  // the agent's own too). Morph the list on screen into the new one rather
  // than replace it: a card that did not change stays the same element, so
  // a Cancel or Save the agent is pressing still works. Replaced, its form
  // would be new and not yet wired up by htmx (htmx does that after its
  // settle delay, longer on a busy machine), and a click on it would post
  // the form as a whole page, leaving the thread. A card that is new is
  // wired up here at once, and an open editor keeps its text.
  document.addEventListener('htmx:oobBeforeSwap', function (evt) {
    var d = evt.detail || {}
    var list = d.target
    if (!window.Idiomorph || !window.htmx || !(list instanceof HTMLElement) || !list.matches('[data-testid="scheduled-list"]')) return
    var incoming = d.fragment && d.fragment.firstElementChild
    if (!incoming || incoming.id !== list.id) return
    d.shouldSwap = false
    syncStick()
    window.Idiomorph.morph(list, incoming, { morphStyle: 'outerHTML' })
    window.htmx.process(list)
    afterContentChange({ detail: { target: list } })
  })

  // showEmptyState shows the list's rows, or its empty state (rendered
  // hidden beside them) once the last row has left it.
  function showEmptyState() {
    var list = $('#conversation-rows')
    var empty = $('#conversation-list [data-testid="list-empty"]')
    if (!list || !empty) return
    var none = !$('[data-testid="conversation-row"], #load-more', list)
    list.hidden = none
    empty.hidden = !none
  }

  // addRow puts a conversation the list did not show into it, if the list
  // would show it.
  function addRow(row) {
    var list = $('#conversation-rows')
    if (!list || document.getElementById(row.id) || !listShows(row)) return
    row.removeAttribute('hx-swap-oob')
    list.insertBefore(row, list.firstElementChild)
    showEmptyState()
    if (window.htmx) window.htmx.process(row)
    swappedRows.push(row)
  }

  document.addEventListener('htmx:sseMessage', function () {
    newRows.splice(0).forEach(addRow)
    var open = openConversationId()
    swappedRows.forEach(function (row) {
      if (!row.isConnected) return
      placeRow(row)
      var link = $('[data-js="row-link"]', row)
      if (link && open && row.id === 'conversation-' + open) link.setAttribute('aria-current', 'page')
    })
    swappedRows = []
    if (focusedRow) {
      var row = document.getElementById(focusedRow)
      var link = row && $('[data-js="row-link"]', row)
      if (link && (!document.activeElement || document.activeElement === document.body)) link.focus({ preventScroll: true })
      focusedRow = null
    }
  })

  // ---- Close and move on. The close form names the row below the closed
  // one (else the one above) as the conversation to open next. A row whose
  // status the list on screen no longer shows leaves it, here and live, and
  // is kept aside so Undo can put it back at once.

  var leftRows = {}

  function rowAfter(row, dir) {
    do { row = row[dir] } while (row && !row.matches('[data-testid="conversation-row"]'))
    return row
  }

  function statusLeavesList(row) {
    var search = $('#search')
    if (search && search.value.trim() !== '') return false
    var filter = ($('#filter-value') || {}).value || 'open'
    var want = filter === 'closed' ? 'closed' : /^(open|mine|unassigned)$/.test(filter) ? 'open' : ''
    return want !== '' && row.getAttribute('data-status') !== want
  }

  function dropLeavingRows() {
    var open = 'conversation-' + openConversationId()
    $$('#conversation-rows [data-testid="conversation-row"]').forEach(function (row) {
      if (row.id === open || !statusLeavesList(row)) return
      leftRows[row.id] = row
      row.remove()
    })
    showEmptyState()
  }

  function putBackRow(id) {
    var row = leftRows[id]
    var list = $('#conversation-rows')
    delete leftRows[id]
    if (!row || !list || document.getElementById(id)) return
    row.setAttribute('data-status', 'open')
    list.insertBefore(row, list.firstElementChild)
    showEmptyState()
    placeRow(row)
  }

  document.addEventListener('htmx:configRequest', function (evt) {
    var form = evt.detail.elt
    if (!form || !form.matches) return
    var id = 'conversation-' + form.getAttribute('data-conversation-id')
    if (form.matches('[data-js="close-advance"]')) {
      var row = document.getElementById(id)
      var next = row && (rowAfter(row, 'nextElementSibling') || rowAfter(row, 'previousElementSibling'))
      if (next) evt.detail.parameters.next = next.id.slice('conversation-'.length)
    } else if (form.matches('[data-js="undo-close"]')) {
      putBackRow(id)
    }
  })

  document.addEventListener('htmx:afterRequest', function (evt) {
    var form = evt.detail.elt
    if (!form || !form.matches || !form.matches('[data-js="undo-close"]') || !evt.detail.successful) return
    var t = form.closest('[data-testid="toast"]')
    if (t) t.remove()
  })

  document.addEventListener('htmx:afterSettle', function (evt) {
    dropLeavingRows()
    if (evt.detail.target && evt.detail.target.id === 'thread' && $('#thread [data-testid="thread-placeholder"]')) setSelected(false)
  })
  document.addEventListener('htmx:sseMessage', dropLeavingRows)

  // ---- Notifications of new texts: a desktop notification while Parley
  // is in the background, and a short sound. Both are off until switched on
  // in the account menu; the choice is kept in this browser.

  var NOTIFY_KEYS = { 'notify-desktop': 'parley:notify-desktop', 'notify-sound': 'parley:notify-sound' }
  var NOTIFY_RECENT = 2 * 60 * 1000
  var notified = {}
  var audio = null

  function notifyOn(id) {
    try { return localStorage.getItem(NOTIFY_KEYS[id]) === 'on' } catch (e) { return false }
  }

  function setNotify(id, on) {
    try { localStorage.setItem(NOTIFY_KEYS[id], on ? 'on' : 'off') } catch (e) { /* private mode */ }
  }

  document.addEventListener('change', function (evt) {
    var box = evt.target
    if (!box || !NOTIFY_KEYS[box.id]) return
    setNotify(box.id, box.checked)
    if (box.id === 'notify-sound' && box.checked) beep()
    if (box.id !== 'notify-desktop' || !box.checked) return
    if (!('Notification' in window)) {
      box.checked = false
      setNotify(box.id, false)
      toast('This browser cannot show notifications.')
      return
    }
    if (Notification.permission === 'granted') return
    Notification.requestPermission().then(function (p) {
      if (p === 'granted') return
      box.checked = false
      setNotify(box.id, false)
      toast('Notifications are blocked for Parley in this browser’s settings.')
    })
  })

  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)()
      var now = audio.currentTime
      var osc = audio.createOscillator()
      var gain = audio.createGain()
      osc.frequency.value = 880
      gain.gain.setValueAtTime(0.0001, now)
      gain.gain.exponentialRampToValueAtTime(0.2, now + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.3)
      osc.connect(gain)
      gain.connect(audio.destination)
      osc.start(now)
      osc.stop(now + 0.32)
    } catch (e) { /* no audio */ }
  }

  // notifyNewTexts looks at an event's HTML for a text just received (not
  // one replayed after a reconnect) and announces it once.
  function notifyNewTexts(html) {
    var desktop = notifyOn('notify-desktop') && 'Notification' in window && Notification.permission === 'granted'
    var sound = notifyOn('notify-sound')
    if (!desktop && !sound) return
    var tpl = document.createElement('template')
    tpl.innerHTML = html
    var msg = $('[data-testid="message"][data-direction="inbound"]', tpl.content)
    if (!msg || notified[msg.id]) return
    var time = $('time[datetime]', msg)
    if (!time || Date.now() - new Date(time.getAttribute('datetime')).getTime() > NOTIFY_RECENT) return
    notified[msg.id] = true
    if (sound) beep()
    if (!desktop || (!document.hidden && document.hasFocus())) return
    var row = $('[data-testid="conversation-row"]', tpl.content)
    var title = row ? ($('[data-testid="conversation-title"]', row) || {}).textContent : ''
    var body = ($('[data-testid="message-body"]', msg) || {}).textContent || 'New text'
    var n = new Notification('New text' + (title ? ' from ' + title.trim() : ''), { body: body.slice(0, 160), tag: msg.id })
    n.onclick = function () {
      window.focus()
      var link = row && $('[data-js="row-link"]', row)
      if (link) location.href = link.getAttribute('href')
    }
  }

  // ---- Thread scrolling: open at the newest message, stay at the bottom
  // while the reader is there, and keep the view still when older messages
  // are added above.

  var stick = true
  var olderOffset = null
  // lastTop is the thread's scrollTop when stick was last worked out.
  var lastTop = null

  function scroller() { return $('#thread-scroll') }

  function setTop(s, top) {
    s.scrollTop = top
    lastTop = s.scrollTop
  }

  function scrollToBottom() {
    var s = scroller()
    if (s) setTop(s, s.scrollHeight)
  }

  function measureStick(s) {
    stick = s.scrollHeight - s.scrollTop - s.clientHeight < STICK_DISTANCE
    lastTop = s.scrollTop
  }

  document.addEventListener('scroll', function (evt) {
    var s = evt.target
    if (s && s.id === 'thread-scroll') measureStick(s)
  }, true)

  // syncStick catches up with a scroll the page has not been told of: the
  // browser fires scroll events at its next frame, and a live message can
  // land before then (a busy machine makes that wait long). Called before
  // content changes, while the geometry is still the reader's. A thread
  // that grew under a reader who did not move (a picture loading, the
  // composer growing) keeps its stick.
  function syncStick() {
    var s = scroller()
    if (s && s.scrollTop !== lastTop) measureStick(s)
  }

  document.addEventListener('htmx:beforeSwap', function (evt) {
    syncStick()
    var target = evt.detail.target
    var s = scroller()
    if (s && target && target.matches && target.matches('[data-js="older"]')) {
      olderOffset = s.scrollHeight - s.scrollTop
    }
  })

  function afterContentChange(evt) {
    dedupeMessages()
    var target = evt && evt.detail && evt.detail.target
    var s = scroller()
    if (!s) return
    if (olderOffset !== null) {
      setTop(s, s.scrollHeight - olderOffset)
      olderOffset = null
      return
    }
    if (target && (target.id === 'thread' || target.id === 'composer')) stick = true
    if (stick) scrollToBottom()
  }

  // Run straight after the swap, before the browser paints, so the "load
  // older" trigger is never seen at the top of a freshly opened thread.
  document.addEventListener('htmx:afterSwap', afterContentChange)
  document.addEventListener('htmx:oobAfterSwap', afterContentChange)

  // Pictures grow a thread as they load; keep the reader at the bottom.
  document.addEventListener('load', function (evt) {
    if (evt.target && evt.target.tagName === 'IMG' && stick && evt.target.closest('#thread-scroll')) scrollToBottom()
  }, true)

  // dedupeMessages keeps one element per message id. A reply can arrive
  // twice (the send response and the live feed); the later copy carries the
  // newer status, so it takes the place of the first.
  // Pages of older messages may repeat a day separator; the first stays.
  function dedupeMessages() {
    var seen = {}
    $$('#thread-scroll [data-testid="message"]').forEach(function (el) {
      var prev = seen[el.id]
      if (prev && prev !== el) prev.replaceWith(el)
      seen[el.id] = el
    })
    var lastDay = null
    $$('#thread-scroll [data-testid="day-separator"]').forEach(function (el) {
      var day = el.getAttribute('data-day')
      // A live message brings its day's separator (views.MessageAppend):
      // it stays only when it starts a new day, and before a message.
      if (day === lastDay || !el.nextElementSibling) el.remove()
      else lastDay = day
    })
    markBursts()
  }

  // ---- Bursts: a text that follows another from the same side (and the
  // same agent) within five minutes shows no time of its own, as a thread
  // is rendered (views.follows). A live text or a status update arrives on
  // its own, so the page works the runs out again after each change.

  var BURST_MS = 5 * 60 * 1000

  function sentAt(li) {
    var t = $('[data-testid="message-meta"] time[datetime]', li)
    return t ? new Date(t.getAttribute('datetime')).getTime() : NaN
  }

  function markBursts() {
    var prev = null
    $$('#thread-scroll [data-testid="message"], #thread-scroll [data-testid="day-separator"], #thread-scroll [data-testid="note"]').forEach(function (el) {
      if (el.getAttribute('data-testid') !== 'message') { prev = null; return }
      var gap = prev ? sentAt(el) - sentAt(prev) : NaN
      var follows = prev && prev.getAttribute('data-direction') === el.getAttribute('data-direction') &&
        prev.getAttribute('data-sent-by') === el.getAttribute('data-sent-by') && gap >= 0 && gap < BURST_MS
      if (follows) el.setAttribute('data-follows', 'true')
      else el.removeAttribute('data-follows')
      prev = el
    })
  }

  // ---- Toasts said once: the live feed can bring the same news again (a
  // replay after a reconnect or a page load, a later status of the same
  // message); a toast with a data-once key shows once in this tab.

  var ONCE_KEY = 'parley:toasts-once'

  function seenOnce(key) {
    var seen = []
    try { seen = JSON.parse(sessionStorage.getItem(ONCE_KEY) || '[]') } catch (e) { /* storage off */ }
    if (seen.indexOf(key) >= 0) return true
    seen.push(key)
    try { sessionStorage.setItem(ONCE_KEY, JSON.stringify(seen.slice(-100))) } catch (e) { /* storage off */ }
    return false
  }

  document.addEventListener('htmx:oobBeforeSwap', function (evt) {
    var d = evt.detail || {}
    if (!d.fragment || !(d.target instanceof HTMLElement) || d.target.id !== 'toasts') return
    Array.prototype.slice.call(d.fragment.querySelectorAll('[data-once]')).forEach(function (el) {
      if (seenOnce(el.getAttribute('data-once'))) el.remove()
    })
  })

  // ---- Reading keeps it read: a text that arrives in the thread the agent
  // has open and in view gets no unread badge and does not raise the
  // count, and the server is told it was read. Unread state is the
  // team's, so the answer to that (the row and count on the live feed)
  // reaches every agent.

  var readPending = {}

  function threadInView() {
    var t = $('#thread [data-testid="thread"]')
    return !!t && document.visibilityState === 'visible' && t.getClientRects().length > 0
  }

  function postRead(id) {
    if (readPending[id] || !window.fetch) return
    readPending[id] = true
    fetch('/conversations/' + id + '/read', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrfToken() } })
      .catch(function () { /* the next open marks it read */ })
      .then(function () { delete readPending[id] })
  }

  function setNavCount(nav, n) {
    n = Math.max(n, 0)
    nav.setAttribute('data-count', String(n))
    nav.textContent = ''
    if (n === 0) { nav.setAttribute('hidden', ''); return }
    nav.removeAttribute('hidden')
    nav.textContent = n.toLocaleString('en-US')
    var sr = document.createElement('span')
    sr.className = 'sr-only'
    sr.textContent = ' unread'
    nav.appendChild(sr)
  }

  // keepOpenThreadRead shows the open thread's row in a live update as
  // read, takes it out of the header's count, and marks it read.
  function keepOpenThreadRead(content) {
    var open = openConversationId()
    if (!open || !threadInView()) return
    var row = content.querySelector('#conversation-' + open)
    if (!row || !row.hasAttribute('data-unread')) return
    row.removeAttribute('data-unread')
    var badge = $('[data-testid="unread-badge"]', row)
    if (badge) badge.remove()
    var title = $('[data-testid="conversation-title"]', row)
    if (title) title.classList.replace('font-semibold', 'font-medium')
    var time = $('[data-testid="conversation-time"]', row)
    if (time) { time.classList.remove('font-medium', 'text-accent-700'); time.classList.add('text-gray-500') }
    var preview = $('[data-testid="conversation-preview"]', row)
    if (preview) preview.classList.replace('text-gray-900', 'text-gray-500')
    var nav = content.querySelector('#nav-unread')
    if (nav) setNavCount(nav, (parseInt(nav.getAttribute('data-count'), 10) || 0) - 1)
    postRead(open)
  }

  // A tab brought back to the front reads the thread it shows.
  document.addEventListener('visibilitychange', function () {
    var open = openConversationId()
    var row = open && document.getElementById('conversation-' + open)
    if (row && row.hasAttribute('data-unread') && threadInView()) postRead(open)
  })

  // ---- "New messages" pill: scrolled up in a thread, the agent is told
  // that something arrived below; the pill takes them there, and goes
  // once they are at the bottom.

  function newMessagesPill() { return $('[data-js="new-messages"]') }

  // Live messages are appended to the thread's list out of band; the
  // list is the swap's target.
  document.addEventListener('htmx:oobBeforeSwap', function (evt) {
    syncStick()
    var target = evt.detail && evt.detail.target
    if (stick || !(target instanceof HTMLElement) || !target.matches('#thread-scroll [data-testid="messages"]')) return
    var pill = newMessagesPill()
    if (pill) pill.hidden = false
  })

  document.addEventListener('scroll', function (evt) {
    if (!evt.target || evt.target.id !== 'thread-scroll' || !stick) return
    var pill = newMessagesPill()
    if (pill) pill.hidden = true
  }, true)

  document.addEventListener('click', function (evt) {
    var pill = evt.target.closest && evt.target.closest('[data-js="new-messages"]')
    if (!pill) return
    stick = true
    scrollToBottom()
    pill.hidden = true
  })

  // ---- Panes: on a phone one pane shows at a time; #inbox's data-selected
  // says which (the CSS is in the templates).

  function setSelected(on) {
    var inbox = $('#inbox')
    if (inbox) inbox.setAttribute('data-selected', on ? 'true' : 'false')
  }

  function markCurrentRow(link) {
    $$('#conversation-list [data-js="row-link"][aria-current]').forEach(function (a) {
      if (a !== link) a.removeAttribute('aria-current')
    })
    if (link) link.setAttribute('aria-current', 'page')
  }

  document.addEventListener('click', function (evt) {
    if (!evt.target.closest) return
    var row = evt.target.closest('[data-js="row-link"]')
    if (row) markCurrentRow(row)
    var back = evt.target.closest('[data-js="back"]')
    if (back && $('#inbox') && !evt.metaKey && !evt.ctrlKey && !evt.shiftKey) {
      evt.preventDefault()
      setSelected(false)
      history.pushState({}, '', back.getAttribute('href'))
      var current = $('#conversation-list [aria-current="page"]')
      if (current) current.focus()
    }
  })

  document.addEventListener('htmx:afterSwap', function (evt) {
    if (evt.detail.target && evt.detail.target.id === 'thread') setSelected(true)
  })

  // ---- Composer: Enter sends, Shift+Enter is a new line.

  document.addEventListener('keydown', function (evt) {
    var el = evt.target
    if (!el || !el.matches || !el.matches('[data-js="composer"]')) return
    if (evt.key !== 'Enter' || evt.shiftKey || evt.altKey || evt.isComposing || evt.keyCode === 229) return
    evt.preventDefault()
    if (!el.form || (el.value.trim() === '' && !hasAttachments(el.form))) return
    // A form swapped in a moment ago may not be wired up by htmx yet;
    // process it first so the submit goes through htmx, not the browser.
    if (window.htmx) window.htmx.process(el.form)
    el.form.requestSubmit()
  })

  // ---- Send later: Enter in the picker schedules at the picked time.
  // Without this the browser's implicit submission would press the
  // form's first button, the "In 1 hour" preset.

  document.addEventListener('keydown', function (evt) {
    var el = evt.target
    if (evt.key !== 'Enter' || !el || el.id !== 'send-later-at') return
    evt.preventDefault()
    var pick = el.form && $('[data-testid="send-later-pick"]', el.form)
    if (pick) pick.click()
  })
  // Some keyboards (and automation) send the Enter's keypress on its own.
  document.addEventListener('keypress', function (evt) {
    if (evt.key === 'Enter' && evt.target && evt.target.id === 'send-later-at') evt.preventDefault()
  })

  // ---- Composer: Esc hands the keyboard back to the thread, so the
  // shortcuts work again; the text stays in the box (and in the draft).

  function leaveComposer(box) {
    var pane = $('#thread-scroll')
    // Focusable by script only, unless the page already made it a stop.
    if (pane && !pane.hasAttribute('tabindex')) pane.setAttribute('tabindex', '-1')
    box.blur()
    if (pane) pane.focus({ preventScroll: true })
  }

  document.addEventListener('keydown', function (evt) {
    var el = evt.target
    if (evt.key !== 'Escape' || evt.isComposing || !el || (el.id !== 'composer-text' && el.id !== 'note-text')) return
    leaveComposer(el)
  })

  // ---- Drafts: the reply being typed is kept in this browser's
  // localStorage, per signed-in agent and conversation. It is written on
  // every change, so a reload or a crashed tab loses nothing; put back when
  // the thread opens again; and dropped once a send went through, never
  // before. Nothing reaches the server until it is sent. Rows of the list
  // with a draft show their "Draft" marker.

  var DRAFT_PREFIX = 'parley:draft:'
  var DRAFT_MAX_AGE = 30 * 24 * 60 * 60 * 1000

  function draftKey(conversationId) {
    var user = myId()
    return user && conversationId ? DRAFT_PREFIX + user + ':' + conversationId : null
  }

  function readDraft(conversationId) {
    var key = draftKey(conversationId)
    if (!key) return ''
    try {
      var d = JSON.parse(localStorage.getItem(key) || 'null')
      return d && typeof d.text === 'string' ? d.text : ''
    } catch (e) { return '' }
  }

  function writeDraft(conversationId, text) {
    var key = draftKey(conversationId)
    if (!key) return
    try {
      if (text.trim() === '') localStorage.removeItem(key)
      else localStorage.setItem(key, JSON.stringify({ text: text, at: Date.now() }))
    } catch (e) { /* storage off or full: the box still holds the text */ }
    var row = document.getElementById('conversation-' + conversationId)
    if (row) markDrafts(row)
  }

  // pruneDrafts forgets drafts nobody has touched for a month, so storage
  // does not fill with replies to conversations long closed.
  function pruneDrafts() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i)
        if (!key || key.indexOf(DRAFT_PREFIX) !== 0) continue
        var d = null
        try { d = JSON.parse(localStorage.getItem(key)) } catch (e) { /* not ours: drop it */ }
        if (!d || !(Date.now() - d.at < DRAFT_MAX_AGE)) localStorage.removeItem(key)
      }
    } catch (e) { /* storage off */ }
  }

  function composerConversation(el) {
    var thread = el && el.closest && el.closest('[data-testid="thread"]')
    return thread ? thread.getAttribute('data-conversation-id') : null
  }

  // restoreDraft puts the kept draft into an empty reply box under root,
  // and lets the meter count it as it counted the typing.
  function restoreDraft(root) {
    if (!root || !root.querySelector) return
    var box = root.id === 'composer-text' ? root : $('#composer-text', root)
    if (!box || box.disabled || box.value !== '') return
    var text = readDraft(composerConversation(box))
    if (!text) return
    box.value = text
    if (window.htmx) window.htmx.process(box)
    box.dispatchEvent(new Event('input', { bubbles: true }))
  }

  // markDrafts shows the "Draft" marker of each row under root that has
  // a draft, and hides the others.
  function markDrafts(root) {
    if (!root || !root.querySelectorAll) return
    $$('[data-testid="draft-marker"]', root).forEach(function (mark) {
      var row = mark.closest('[data-testid="conversation-row"]')
      if (row) mark.hidden = readDraft(row.id.replace('conversation-', '')) === ''
    })
  }

  document.addEventListener('input', function (evt) {
    var box = evt.target
    if (box && box.id === 'composer-text') writeDraft(composerConversation(box), box.value)
  })

  // A send went through when its answer is a success; the answer brings
  // an empty composer, which must not get the old draft back.
  document.addEventListener('htmx:beforeSwap', function (evt) {
    var d = evt.detail || {}
    var form = (d.requestConfig && d.requestConfig.elt) || d.elt
    // A Send later choice posts the composer's form from its own button.
    if (form && form.matches && form.matches('[data-testid="send-later-choice"], [data-testid="send-later-pick"]')) form = form.form
    if (!form || form.id !== 'composer' || !d.xhr || d.xhr.status < 200 || d.xhr.status >= 300) return
    writeDraft(composerConversation(form), '')
  })

  // Live updates replace rows; Back brings a page from htmx's history
  // cache, which holds markup, not what was typed; other tabs of this
  // browser change drafts.
  document.addEventListener('htmx:sseMessage', function () { markDrafts(document) })
  document.addEventListener('htmx:historyRestore', function () {
    markDrafts(document)
    restoreDraft(document)
  })
  window.addEventListener('storage', function (evt) {
    if (!evt.key || evt.key.indexOf(DRAFT_PREFIX) === 0) markDrafts(document)
  })

  // ---- Attachments: the paperclip, a drop onto the composer, or a paste
  // each upload their files, one request per file, to the tray's
  // data-upload-url. The answer is the file's preview (with the signed
  // token the reply form posts back) or, 422, why it was refused; either
  // way the text typed so far is untouched. Where MMS cannot go the tray
  // carries data-media-disabled, and that reason is shown instead.

  // Plivo's limits (app/media/limits.go): 10 files, 2 MB each. The
  // server checks both again; this only saves uploading a file for nothing.
  var MAX_ATTACHMENTS = 10
  var MAX_FILE_BYTES = 2000000

  function attachmentTray(form) { return form && $('[data-js="attachments"]', form) }

  function hasAttachments(form) {
    return !!(form && $('#composer-attachments input[name="attachment"]', form))
  }

  function refuseAttachment(tray, reason) {
    var list = $('#composer-attachment-errors', tray)
    if (!list) return
    var li = document.createElement('li')
    li.setAttribute('data-testid', 'attachment-refused')
    li.textContent = reason
    list.appendChild(li)
  }

  function attachFiles(form, files) {
    var tray = attachmentTray(form)
    if (!tray || !files || !files.length) return
    var errors = $('#composer-attachment-errors', tray)
    if (errors) errors.textContent = ''
    var disabled = tray.getAttribute('data-media-disabled')
    if (disabled) { refuseAttachment(tray, disabled); return }
    var list = $('#composer-attachments', tray)
    var room = MAX_ATTACHMENTS - list.children.length - Number(tray.getAttribute('data-pending') || 0)
    Array.prototype.forEach.call(files, function (file, i) {
      if (i >= room) {
        refuseAttachment(tray, (file.name || 'A file') + ' was not attached: one message carries at most ' + MAX_ATTACHMENTS + ' files')
        return
      }
      if (file.size > MAX_FILE_BYTES) {
        refuseAttachment(tray, (file.name || 'The file') + ' is too large to send by MMS (' + (Math.round(file.size / 1e5) / 10) + ' MB): files may be up to 2 MB')
        return
      }
      uploadAttachment(tray, list, file)
    })
  }

  function setPending(tray, delta) {
    var n = Number(tray.getAttribute('data-pending') || 0) + delta
    if (n > 0) tray.setAttribute('data-pending', String(n))
    else tray.removeAttribute('data-pending')
  }

  function uploadAttachment(tray, list, file) {
    var body = new FormData()
    body.append('file', file, file.name || 'pasted')
    setPending(tray, 1)
    fetch(tray.getAttribute('data-upload-url'), {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'X-CSRF-Token': csrfToken(), 'HX-Request': 'true' }
    }).then(function (resp) {
      return resp.text().then(function (html) {
        if (resp.ok) list.insertAdjacentHTML('beforeend', html)
        else if (resp.status === 422) $('#composer-attachment-errors', tray).insertAdjacentHTML('beforeend', html)
        else if (resp.status === 413) refuseAttachment(tray, (file.name || 'The file') + ' is too large to attach')
        else refuseAttachment(tray, (file.name || 'The file') + ' could not be attached: ' + statusMessage(resp.status))
      })
    }).catch(function () {
      refuseAttachment(tray, (file.name || 'The file') + ' could not be attached: Parley did not answer')
    }).then(function () { setPending(tray, -1) })
  }

  document.addEventListener('change', function (evt) {
    var input = evt.target
    if (!input || !input.matches || !input.matches('[data-js="attach-input"]')) return
    attachFiles(input.form, input.files)
    input.value = ''
  })

  document.addEventListener('click', function (evt) {
    var remove = evt.target.closest && evt.target.closest('[data-js="attachment-remove"]')
    if (remove) {
      var li = remove.closest('li')
      var form = remove.closest('form')
      if (li) li.remove()
      var box = form && $('#composer-text', form)
      if (box) box.focus()
      return
    }
    var off = evt.target.closest && evt.target.closest('[data-js="attach-disabled"]')
    if (off) {
      var tray = attachmentTray(off.closest('form'))
      if (tray) {
        $('#composer-attachment-errors', tray).textContent = ''
        refuseAttachment(tray, tray.getAttribute('data-media-disabled'))
      }
    }
  })

  function draggingFiles(evt) {
    var types = evt.dataTransfer && evt.dataTransfer.types
    return !!types && Array.prototype.indexOf.call(types, 'Files') >= 0
  }

  document.addEventListener('dragover', function (evt) {
    var form = evt.target.closest && evt.target.closest('#composer')
    if (!form || !draggingFiles(evt) || form.hasAttribute('data-disabled')) return
    evt.preventDefault()
    evt.dataTransfer.dropEffect = 'copy'
    form.setAttribute('data-dragging', 'true')
  })

  document.addEventListener('dragleave', function (evt) {
    var form = evt.target.closest && evt.target.closest('#composer')
    if (form && !form.contains(evt.relatedTarget)) form.removeAttribute('data-dragging')
  })

  document.addEventListener('drop', function (evt) {
    var form = evt.target.closest && evt.target.closest('#composer')
    if (!form || !evt.dataTransfer || !evt.dataTransfer.files.length || form.hasAttribute('data-disabled')) return
    evt.preventDefault()
    form.removeAttribute('data-dragging')
    attachFiles(form, evt.dataTransfer.files)
  })

  document.addEventListener('paste', function (evt) {
    var box = evt.target
    if (!box || box.id !== 'composer-text' || !evt.clipboardData) return
    var files = evt.clipboardData.files
    if (!files || !files.length) return
    evt.preventDefault()
    attachFiles(box.form, files)
  })

  // ---- Compose tabs: a reply to the contact, or a note for the team.

  // composeMode shows the reply form or the note form and focuses its
  // text box; false when the page has no thread open.
  function composeMode(mode) {
    var area = $('#compose-area')
    if (!area) return false
    area.setAttribute('data-mode', mode)
    $$('[data-js="compose-mode"]', area).forEach(function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-mode') === mode ? 'true' : 'false')
    })
    focusEl(mode === 'note' ? '#note-text' : '#composer-text')
    return true
  }

  document.addEventListener('click', function (evt) {
    var tab = evt.target.closest && evt.target.closest('[data-js="compose-mode"]')
    if (tab) composeMode(tab.getAttribute('data-mode'))
  })

  // ---- Canned replies: from the menu, or /name then Tab or Enter.

  // putCanned puts a canned reply's text in the reply box: instead of a
  // lone /name, else at the end of the draft.
  function putCanned(text) {
    var box = $('#composer-text')
    if (!box || box.disabled) return false
    composeMode('reply')
    var draft = box.value
    box.value = /^\s*\/[\w-]*\s*$/.test(draft) || draft.trim() === '' ? text : draft.replace(/\s*$/, ' ') + text
    box.focus()
    box.setSelectionRange(box.value.length, box.value.length)
    box.dispatchEvent(new Event('input', { bubbles: true }))
    return true
  }

  document.addEventListener('click', function (evt) {
    var choice = evt.target.closest && evt.target.closest('[data-js="canned"]')
    if (!choice) return
    putCanned(choice.getAttribute('data-text'))
    var menu = choice.closest('details')
    if (menu) menu.open = false
  })

  document.addEventListener('keydown', function (evt) {
    var el = evt.target
    if (!el || el.id !== 'composer-text' || (evt.key !== 'Tab' && evt.key !== 'Enter') || evt.shiftKey) return
    var m = /^\s*\/([\w-]+)\s*$/.exec(el.value)
    if (!m) return
    var choice = $('[data-js="canned"][data-name="' + m[1].toLowerCase() + '"]')
    if (!choice) return
    evt.preventDefault()
    evt.stopImmediatePropagation()
    putCanned(choice.getAttribute('data-text'))
  }, true)

  // ---- Keyboard shortcuts.

  function shortcutsEnabled() {
    try { return localStorage.getItem(SHORTCUTS_KEY) !== 'off' } catch (e) { return true }
  }

  function setShortcutsEnabled(on) {
    try { localStorage.setItem(SHORTCUTS_KEY, on ? 'on' : 'off') } catch (e) { /* private mode */ }
  }

  function isTyping(el) {
    if (!el || !el.tagName) return false
    var tag = el.tagName
    if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true
    if (tag !== 'INPUT') return false
    return !/^(button|submit|reset|checkbox|radio|file|image|range|color)$/i.test(el.type)
  }

  function dialog() { return $('#shortcuts') }

  function toggleDialog() {
    var d = dialog()
    if (!d) return
    if (d.open) d.close()
    else if (typeof d.showModal === 'function') d.showModal()
  }

  function rowLinks() { return $$('#conversation-list [data-js="row-link"]') }

  function moveSelection(delta) {
    var rows = rowLinks()
    if (!rows.length) return
    var i = rows.indexOf(document.activeElement)
    if (i < 0) i = rows.findIndex(function (a) { return a.getAttribute('aria-current') === 'page' })
    if (i < 0) i = delta > 0 ? 0 : rows.length - 1
    else i = Math.max(0, Math.min(rows.length - 1, i + delta))
    rows[i].focus()
    rows[i].scrollIntoView({ block: 'nearest' })
  }

  function focusEl(selector) {
    var el = $(selector)
    if (!el || el.disabled) return false
    el.focus()
    if (typeof el.select === 'function' && el.type === 'search') el.select()
    return true
  }

  document.addEventListener('keydown', function (evt) {
    if (evt.defaultPrevented || evt.metaKey || evt.ctrlKey || evt.altKey) return
    var active = document.activeElement
    if (evt.key === 'Escape' && active && active.id === 'search') { active.blur(); return }
    if (isTyping(evt.target)) return
    if (!shortcutsEnabled()) return
    var d = dialog()
    if (d && d.open && evt.key !== '?') return
    switch (evt.key) {
      case 'j': moveSelection(1); break
      case 'k': moveSelection(-1); break
      case 'Enter': {
        var link = active && active.closest && active.closest('[data-testid="conversation-row"]')
        if (!link || active.matches('a, button')) return
        var a = $('[data-js="row-link"]', link)
        if (a) a.click()
        break
      }
      // From the note box too: r is for a reply.
      case 'r': if (!($('#compose-area') ? composeMode('reply') : focusEl('#composer-text'))) return; break
      case 'e': {
        var close = $('[data-shortcut="close"]')
        if (!close || close.disabled) return
        close.click()
        break
      }
      case 'n': if (!composeMode('note')) return; break
      case 'z': {
        var undo = $$('#toasts [data-testid="undo-close"]').pop()
        if (!undo || undo.disabled) return
        undo.click()
        break
      }
      case 'i': {
        var take = $('[data-shortcut="assign-me"]')
        if (!take || take.disabled) return
        take.click()
        break
      }
      case '/': if (!focusEl('#search')) return; break
      case '?': toggleDialog(); break
      default: return
    }
    evt.preventDefault()
  })

  document.addEventListener('click', function (evt) {
    var open = evt.target.closest && evt.target.closest('[data-js="open-shortcuts"]')
    if (open) {
      evt.preventDefault()
      toggleDialog()
    }
    var closeBtn = evt.target.closest && evt.target.closest('[data-js="close-dialog"]')
    if (closeBtn) {
      var d = closeBtn.closest('dialog')
      if (d) d.close()
    }
  })

  // ---- Menus and inline editors made of <details>: close on a click
  // outside, on Escape, and by their Cancel buttons.

  document.addEventListener('click', function (evt) {
    var inside = evt.target.closest ? evt.target.closest('details[data-js="menu"]') : null
    $$('details[data-js="menu"][open]').forEach(function (d) { if (d !== inside) d.open = false })
    var cancel = evt.target.closest && evt.target.closest('[data-js="close-details"]')
    if (cancel) {
      var details = cancel.closest('details')
      if (details) details.open = false
    }
  })

  // A phone's thread actions open from one button (aria-expanded drives
  // the CSS); a click elsewhere or Escape closes them.
  document.addEventListener('click', function (evt) {
    var toggle = evt.target.closest && evt.target.closest('[data-js="actions-toggle"]')
    $$('[data-js="actions-toggle"][aria-expanded="true"]').forEach(function (b) {
      if (b !== toggle && !b.parentNode.contains(evt.target)) b.setAttribute('aria-expanded', 'false')
    })
    if (toggle) toggle.setAttribute('aria-expanded', String(toggle.getAttribute('aria-expanded') !== 'true'))
  })

  document.addEventListener('keydown', function (evt) {
    if (evt.key !== 'Escape') return
    $$('[data-js="actions-toggle"][aria-expanded="true"]').forEach(function (b) {
      b.setAttribute('aria-expanded', 'false')
      b.focus()
    })
    $$('details[data-js="menu"][open]').forEach(function (d) {
      d.open = false
      var s = $('summary', d)
      if (s) s.focus()
    })
  })

  document.addEventListener('change', function (evt) {
    if (evt.target && evt.target.id === 'shortcuts-enabled') setShortcutsEnabled(evt.target.checked)
  })

  // The search form submits through htmx's "search" trigger; without
  // JavaScript it is an ordinary GET form.
  document.addEventListener('submit', function (evt) {
    if (evt.target && evt.target.id === 'search-form') evt.preventDefault()
  })

  // ---- New content: local time in tooltips, the shortcut toggle's state,
  // drafts.

  // One formatter for every tooltip: toLocaleString with options builds a
  // new Intl formatter on each call, which over a list and a thread was
  // most of this script's work at page load.
  var fullTime = null

  function onLoad(root) {
    $$('time[datetime]', root).forEach(function (el) {
      var d = new Date(el.getAttribute('datetime'))
      if (isNaN(d)) return
      fullTime = fullTime || new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' })
      el.title = fullTime.format(d)
    })
    var box = root.querySelector ? $('#shortcuts-enabled', root) : null
    if (box) box.checked = shortcutsEnabled()
    Object.keys(NOTIFY_KEYS).forEach(function (id) {
      var b = root.querySelector ? $('#' + id, root) : null
      if (b) b.checked = notifyOn(id)
    })
    markDrafts(root)
    restoreDraft(root)
    fillAgentZone(root)
  }

  // fillAgentZone puts the browser's time zone into the empty Send later
  // zone fields under root, so "Tomorrow 9:00" is the agent's 9:00. An
  // edit form comes with the zone its time was chosen in, and keeps it.
  function fillAgentZone(root) {
    if (!root || !root.querySelectorAll) return
    var zone = ''
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '' } catch (e) { return }
    $$('input[data-js="agent-tz"]', root).forEach(function (input) {
      if (!input.value) input.value = zone
    })
  }

  // whenIdle runs housekeeping that nothing on screen waits for after the
  // page's first work is done, so it does not lengthen that work.
  function whenIdle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 2000 })
    else setTimeout(fn, 1)
  }

  function start() {
    whenIdle(pruneDrafts)
    onLoad(document)
    // htmx announces the whole body once as it starts, a moment after
    // this; the document was just done, so that first pass is skipped.
    var bodyDone = false
    if (window.htmx) {
      window.htmx.onLoad(function (root) {
        if (root === document.body && !bodyDone) { bodyDone = true; return }
        onLoad(root)
      })
    }
    watchToasts()
    scrollToBottom()
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
  else start()
  // Scroll before htmx observes the "load older" trigger, so opening a
  // thread does not fetch older pages at once.
  scrollToBottom()
})()
