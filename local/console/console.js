// The local ops console: polls the /_local inspection API and renders what the CloudWatch
// dashboard would show. Plain DOM, text only (never innerHTML), so no event data can inject markup.

const REFRESH_MS = 1000;

const $ = (selector) => document.querySelector(selector);

async function getJson(path, init) {
  const response = await fetch(path, init);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

/** Replaces a table body's rows: each row is a list of cells (text, or a node). */
function fillRows(table, rows) {
  const body = $(`${table} tbody`);
  body.replaceChildren(
    ...rows.map(({ cells, className, onClick, data }) => {
      const row = document.createElement('tr');
      if (className) row.className = className;
      if (onClick) {
        row.classList.add('clickable');
        row.addEventListener('click', onClick);
      }
      for (const [key, value] of Object.entries(data ?? {})) row.dataset[key] = value;
      for (const cell of cells) {
        const td = document.createElement('td');
        if (cell instanceof Node) td.append(cell);
        else td.textContent = String(cell ?? '');
        row.append(td);
      }
      return row;
    }),
  );
}

function button(label, className, onClick) {
  const element = document.createElement('button');
  element.textContent = label;
  element.className = className;
  element.addEventListener('click', (event) => {
    event.stopPropagation();
    onClick().catch((error) => alert(error.message));
  });
  return element;
}

function badge(text, prefix) {
  const span = document.createElement('span');
  span.textContent = text;
  span.className = `${prefix}-${text}`;
  return span;
}

/** `Junction-dev-AnalyticsQueueDeadLettersQueue1A2B3C4D-xYz` → `AnalyticsQueueDeadLetters`. */
const labelOf = (name) =>
  name
    .replace(/^[A-Za-z0-9]+-[a-z0-9]+-/, '')
    .replace(/-[A-Za-z0-9]+$/, '')
    .replace(/[0-9A-F]{8}$/, '')
    .replace(/DeadLettersQueue$/, 'DeadLetters')
    .replace(/Logs$/, '');

const time = (ms) => (ms ? new Date(ms).toISOString().slice(11, 23) : '');

async function renderQueues() {
  const { queues } = await getJson('/_local/queues');
  const isDlq = (queue) => /DeadLetters/.test(queue.name);
  $('#dlq-count').textContent = String(
    queues.filter(isDlq).reduce((sum, queue) => sum + queue.visible + queue.inFlight, 0),
  );
  fillRows(
    '#queues',
    queues.map((queue) => ({
      className: isDlq(queue) ? 'dlq' : '',
      data: { queue: labelOf(queue.name) },
      cells: [
        labelOf(queue.name),
        queue.visible,
        queue.inFlight,
        isDlq(queue)
          ? (() => {
              const actions = document.createElement('span');
              actions.append(
                button('Peek', 'peek', async () => {
                  const { messages } = await getJson(
                    `/_local/queues/${encodeURIComponent(queue.name)}/messages`,
                  );
                  const pre = $('#peek');
                  pre.hidden = false;
                  pre.textContent = JSON.stringify(messages, null, 2);
                }),
                ' ',
                button('Redrive', 'redrive', async () => {
                  const answer = await getJson(`/_local/queues/${encodeURIComponent(queue.name)}/redrive`, {
                    method: 'POST',
                  });
                  $('#peek').hidden = false;
                  $('#peek').textContent = `Redrive started (task ${answer.TaskHandle.slice(0, 12)}…)`;
                }),
              );
              return actions;
            })()
          : '',
      ],
    })),
  );
}

async function renderEvents() {
  const { events } = await getJson('/_local/events?limit=500');
  $('#event-count').textContent = String(events.length);
  const list = $('#events');
  list.replaceChildren(
    ...events
      .slice(-25)
      .reverse()
      .map(({ event }) => {
        const detail = event.detail ?? {};
        const item = document.createElement('li');
        const correlation = detail.metadata?.correlation_id ?? '';
        item.textContent = `${time(Date.parse(detail.timestamp ?? event.time))}  ${event['detail-type']}  ${detail.data?.order_id ?? ''}  `;
        if (correlation) {
          item.append(
            button('trace', 'trace', async () => {
              $('#trace-input').value = correlation;
              await renderTrace(correlation);
            }),
          );
        }
        return item;
      }),
  );
}

async function renderExecutions() {
  const { executions } = await getJson('/_local/executions');
  $('#execution-count').textContent = String(executions.length);
  fillRows(
    '#executions',
    executions
      .slice(-20)
      .reverse()
      .map((execution) => ({
        cells: [execution.name, badge(execution.status, 'status'), time(execution.startDate)],
        onClick: () => showHistory(execution.name).catch((error) => alert(error.message)),
      })),
  );
}

async function showHistory(name) {
  const execution = await getJson(`/_local/executions/${encodeURIComponent(name)}`);
  const list = $('#history');
  list.hidden = false;
  list.replaceChildren(
    ...execution.history.map((event) => {
      const item = document.createElement('li');
      const state = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? '';
      const error = event.taskFailedEventDetails?.error ?? event.executionFailedEventDetails?.error ?? '';
      item.textContent = `${time(event.timestamp)}  ${event.type}  ${state}  ${error}`;
      return item;
    }),
  );
}

async function renderTrace(id) {
  const { timeline } = await getJson(`/_local/trace/${encodeURIComponent(id)}`);
  fillRows(
    '#timeline',
    timeline.map((entry) => ({
      cells: [
        entry.timestamp.slice(11, 23),
        entry.source,
        entry.level ?? '',
        entry.message,
        Object.entries(entry.details)
          .map(([key, value]) => `${key}=${value}`)
          .join(' '),
      ],
    })),
  );
}

async function renderCircuits() {
  const { circuits } = await getJson('/_local/circuits');
  fillRows(
    '#circuits',
    circuits.length === 0
      ? [{ cells: ['every circuit is closed (none recorded yet)', '', '', ''] }]
      : circuits.map((circuit) => ({
          cells: [circuit.provider, badge(circuit.state, 'state'), circuit.failures, circuit.openedAt ?? ''],
        })),
  );
}

async function renderProviders() {
  const { providers } = await getJson('/_local/providers');
  const setFaults = (name, faults) =>
    getJson(`/_local/providers/${name}/faults`, { method: 'PUT', body: JSON.stringify(faults) });
  fillRows(
    '#providers',
    providers.map((provider) => ({
      data: { provider: provider.name },
      cells: [
        provider.name,
        provider.calls,
        provider.faults.errorRate > 0 || provider.faults.timeoutRate > 0
          ? `failing: errors ${provider.faults.errorRate * 100} % (${provider.faults.errorStatus}), timeouts ${provider.faults.timeoutRate * 100} %`
          : 'healthy',
        (() => {
          const actions = document.createElement('span');
          actions.append(
            button('Fail (500)', 'fail', () => setFaults(provider.name, { errorRate: 1, errorStatus: 500 })),
            ' ',
            button('Time out', 'timeout', () => setFaults(provider.name, { timeoutRate: 1 })),
            ' ',
            button('Heal', 'heal', () => setFaults(provider.name, { errorRate: 0, timeoutRate: 0 })),
          );
          return actions;
        })(),
      ],
    })),
  );
}

async function renderFunctions() {
  const [{ functions }, { calls }] = await Promise.all([
    getJson('/_local/functions'),
    getJson('/_local/api/calls'),
  ]);
  $('#api-count').textContent = String(calls.length);
  $('#invocation-count').textContent = String(functions.reduce((sum, fn) => sum + fn.invocations, 0));
  fillRows(
    '#functions',
    functions.map((fn) => ({ cells: [labelOf(fn.name), fn.invocations, fn.errors, fn.throttles, fn.warm] })),
  );
}

async function refresh() {
  const results = await Promise.allSettled([
    renderQueues(),
    renderEvents(),
    renderExecutions(),
    renderCircuits(),
    renderProviders(),
    renderFunctions(),
  ]);
  document.body.dataset.refreshed = String(Date.now());
  const failed = results.find((result) => result.status === 'rejected');
  document.body.dataset.error = failed ? String(failed.reason) : '';
}

$('#trace-form').addEventListener('submit', (event) => {
  event.preventDefault();
  renderTrace($('#trace-input').value.trim()).catch((error) => alert(error.message));
});

refresh();
setInterval(refresh, REFRESH_MS);
