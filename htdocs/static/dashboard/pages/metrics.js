// Metrics of a period (API.md: GET /api/admin/metrics): cards with the change against the
// period before, bookings per day as a line (the period before dashed), reschedules against
// cancellations, the booking funnel and its conversions, revenue, the assistant's steps and
// how fast webhooks and callbacks go. The period (7, 30 or 90 days, or from/to) and the
// filters (service, professional) live in the address. Every chart has its numbers in a
// table behind it.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader } from '../ui.js';
import { barChart, chartCard, groupedBarChart, hbarChart, lineChart } from '../chart.js';
import { money, number, percent as percentOf, techName, today, addDays } from './common.js';

addMessages({
  es: {
    metricsTitle: 'Métricas',
    last7: 'Últimos 7 días',
    last30: 'Últimos 30 días',
    last90: 'Últimos 90 días',
    rangeLabel: 'Periodo',
    customRange: 'Otro periodo',
    rangeText: 'Del {from} al {to}, comparado con el {pfrom} al {pto}.',
    funnelTitle: 'Embudo de reservas',
    funnelDesc: 'Visitas distintas en cada paso, del {from} al {to}.',
    link_viewed: 'Abrieron el enlace',
    slot_held: 'Apartaron un horario',
    details_entered: 'Dejaron sus datos',
    payment_started: 'Fueron a pagar',
    payment_approved: 'Pago aprobado',
    visits: 'Visitas',
    conversion: 'Conversión',
    perDayTitle: 'Reservas por día',
    perDayDesc:
      'Reservas pagadas por día del {from} al {to}: {n} en total; la línea punteada es el periodo anterior ({p}).',
    thisPeriod: 'Este periodo',
    previousPeriod: 'Periodo anterior',
    previousDay: 'Día del periodo anterior',
    day: 'Día',
    bookings: 'Reservas',
    revenue: 'Ingresos',
    latencyTitle: 'Tiempos de respuesta',
    latencyDesc:
      'Cuánto tardamos en procesar los avisos de pago de tu proveedor y cuánto tarda tu sitio en responder nuestras notificaciones: el tiempo típico (p50) y el de 95 de cada 100 (p95).',
    webhookP50: 'Tiempo de respuesta de avisos de pago',
    webhookP95: 'Tiempo de respuesta de avisos de pago',
    callbackP50: 'Tiempo de respuesta de tu sitio',
    callbackP95: 'Tiempo de respuesta de tu sitio',
    measure: 'Medida',
    value: 'Valor',
    kpiBookings: 'Reservas pagadas',
    kpiRevenue: 'Ingresos',
    kpiConversion: 'Conversión total',
    kpiCancellations: 'Cancelaciones',
    kpiReschedules: 'Reprogramaciones',
    kpiLead: 'Anticipación (mediana)',
    kpiNoShows: 'Inasistencias',
    kpiNoShowRate: '{rate} de las citas marcadas',
    kpiSeatFill: 'Ocupación de clases',
    kpiSeatFillOf: '{booked} de {places} cupos reservados',
    kpiReminders: 'Recordatorios enviados',
    kpiReminderEffect: 'No asistió: {with} con recordatorio, {without} sin',
    kpiRateLimited: 'Solicitudes frenadas por exceso',
    kpiRateLimitedSub: 'Visitas que pidieron demasiado seguido en tus páginas públicas',
    kpiFailures: 'Fallos de calendario',
    kpiOauth: '{n} en la conexión con Google/Microsoft',
    chartMax: 'Máximo: {value}',
    leadAvg: 'promedio {n} h',
    before: 'Periodo anterior: {rate}',
    cancelledBy: 'Cliente {c} · negocio {m} · sistema {s}',
    trendUp: '▲ {p}',
    trendDown: '▼ {p}',
    trendFlat: 'igual',
    trendNone: 'sin base anterior',
    trendSr: '{p} respecto al periodo anterior',
    changesTitle: 'Reprogramaciones y cancelaciones',
    changesDesc: 'Este periodo frente al anterior: {text}.',
    rescheduled: 'Reprogramadas',
    byCustomer: 'Canceló el cliente',
    byMerchant: 'Canceló el negocio',
    bySystem: 'Canceladas por el sistema',
    shortRescheduled: 'Reprogramadas',
    shortCustomer: 'Cliente',
    shortMerchant: 'Negocio',
    shortSystem: 'Sistema',
    revenueTitle: 'Ingresos por día',
    revenueDesc: 'Ingresos aprobados por día del {from} al {to}: {total}.',
    revenueOther: 'Otras monedas: {list}',
    refunds: 'Reembolsos: {list}',
    assistantTitle: 'Asistente',
    assistantDesc: 'Visitas que abrieron el asistente, recibieron respuesta y eligieron un horario.',
    opened: 'Abrieron el asistente',
    answered: 'Recibieron respuesta',
    slot_picked: 'Eligieron un horario',
    noData: 'sin datos',
    showData: 'Ver los números',
    badRange: 'Revisa las fechas: «desde» no puede ser posterior a «hasta» y el periodo es de hasta un año.',
  },
  en: {
    metricsTitle: 'Metrics',
    last7: 'Last 7 days',
    last30: 'Last 30 days',
    last90: 'Last 90 days',
    rangeLabel: 'Period',
    customRange: 'Another period',
    rangeText: 'From {from} to {to}, compared with {pfrom} to {pto}.',
    funnelTitle: 'Booking funnel',
    funnelDesc: 'Distinct visits at each step, from {from} to {to}.',
    link_viewed: 'Opened the link',
    slot_held: 'Held a time',
    details_entered: 'Entered their details',
    payment_started: 'Went to pay',
    payment_approved: 'Payment approved',
    visits: 'Visits',
    conversion: 'Conversion',
    perDayTitle: 'Bookings per day',
    perDayDesc: 'Paid bookings per day from {from} to {to}: {n} in all; the dashed line is the period before ({p}).',
    thisPeriod: 'This period',
    previousPeriod: 'Period before',
    previousDay: 'Day of the period before',
    day: 'Day',
    bookings: 'Bookings',
    revenue: 'Revenue',
    latencyTitle: 'Response times',
    latencyDesc:
      'How long we take to process your provider\u2019s payment notices and how long your site takes to answer our notifications: the typical time (p50) and that of 95 in 100 (p95).',
    webhookP50: 'Response time of payment notices',
    webhookP95: 'Response time of payment notices',
    callbackP50: 'Response time of your site',
    callbackP95: 'Response time of your site',
    measure: 'Measure',
    value: 'Value',
    kpiBookings: 'Paid bookings',
    kpiRevenue: 'Revenue',
    kpiConversion: 'Overall conversion',
    kpiCancellations: 'Cancellations',
    kpiReschedules: 'Reschedules',
    kpiLead: 'Lead time (median)',
    kpiNoShows: 'No-shows',
    kpiNoShowRate: '{rate} of marked appointments',
    kpiSeatFill: 'Class fill rate',
    kpiSeatFillOf: '{booked} of {places} places booked',
    kpiReminders: 'Reminders sent',
    kpiReminderEffect: 'Missed: {with} with a reminder, {without} without',
    kpiRateLimited: 'Requests held back for coming too fast',
    kpiRateLimitedSub: 'Visits that asked too often on your public pages',
    kpiFailures: 'Calendar failures',
    kpiOauth: '{n} in the connection with Google/Microsoft',
    chartMax: 'Highest: {value}',
    leadAvg: 'mean {n} h',
    before: 'Period before: {rate}',
    cancelledBy: 'Customer {c} · business {m} · system {s}',
    trendUp: '▲ {p}',
    trendDown: '▼ {p}',
    trendFlat: 'no change',
    trendNone: 'no earlier base',
    trendSr: '{p} against the period before',
    changesTitle: 'Reschedules and cancellations',
    changesDesc: 'This period against the one before: {text}.',
    rescheduled: 'Rescheduled',
    byCustomer: 'Cancelled by the customer',
    byMerchant: 'Cancelled by the business',
    bySystem: 'Cancelled by the system',
    shortRescheduled: 'Rescheduled',
    shortCustomer: 'Customer',
    shortMerchant: 'Business',
    shortSystem: 'System',
    revenueTitle: 'Revenue per day',
    revenueDesc: 'Approved revenue per day from {from} to {to}: {total}.',
    revenueOther: 'Other currencies: {list}',
    refunds: 'Refunds: {list}',
    assistantTitle: 'Assistant',
    assistantDesc: 'Visits that opened the assistant, got an answer and picked a time.',
    opened: 'Opened the assistant',
    answered: 'Got an answer',
    slot_picked: 'Picked a time',
    noData: 'no data',
    showData: 'Show the numbers',
    badRange: 'Check the dates: “from” cannot be after “to”, and the period is at most one year.',
  },
});

const STEPS = ['link_viewed', 'slot_held', 'details_entered', 'payment_started', 'payment_approved'];
const PERIODS = [7, 30, 90];
// figures whose rise is bad news: their arrow up is shown as a warning
const WORSE_WHEN_UP = new Set(['cancellations', 'no_shows', 'rate_limited', 'calendar_failures']);
// figures that are neither: only the arrow says which way
const NEITHER = new Set(['reschedules']);

function percent(ctx, ratio) {
  if (ratio === null || ratio === undefined) return ctx.t('noData');
  return percentOf(ctx, ratio);
}

function dayLabel(ctx, key, opts) {
  const [y, m, d] = key.split('-').map(Number);
  return new Intl.DateTimeFormat(ctx.tag, { ...opts, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

// The change against the period before: an arrow and the percentage, coloured by whether it
// is good news, with the whole sentence for screen readers.
function trendBadge(ctx, figure, change) {
  const { t } = ctx;
  if (change === null || change === undefined) {
    return h('span', { class: 'kpi-trend flat' }, t('trendNone'));
  }
  if (change === 0) return h('span', { class: 'kpi-trend flat' }, t('trendFlat'));
  const p = percentOf(ctx, change / 100, { signDisplay: 'always' });
  const good = change > 0 !== WORSE_WHEN_UP.has(figure);
  return h(
    'span',
    { class: 'kpi-trend ' + (NEITHER.has(figure) ? 'neutral' : good ? 'good' : 'bad') },
    h('span', { 'aria-hidden': 'true' }, t(change > 0 ? 'trendUp' : 'trendDown', { p })),
    h('span', { class: 'visually-hidden' }, t('trendSr', { p })),
  );
}

// label: text, or a node (a name with its technical one beside it)
function kpi(id, label, value, trend, sub) {
  return h(
    'div',
    { class: 'kpi', id },
    h('span', { class: 'kpi-value' }, value),
    h('span', { class: 'kpi-label' }, label),
    trend || null,
    sub ? h('span', { class: 'kpi-sub' }, sub) : null,
  );
}

// What the address asks: a period of 7/30/90 days, or from/to; filters.
function asked(ctx) {
  const q = ctx.query;
  const params = {};
  for (const k of ['service', 'professional']) if (q.get(k)) params[k] = q.get(k);
  if (q.get('from') || q.get('to')) {
    if (q.get('from')) params.from = q.get('from');
    if (q.get('to')) params.to = q.get('to');
  } else {
    params.period = PERIODS.includes(parseInt(q.get('period'), 10)) ? q.get('period') : '30d';
  }
  return params;
}

function picker(ctx, params, services, professionals) {
  const { t } = ctx;
  const go = (next) => ctx.navigate('/dashboard/metrics' + api.queryString(next));
  const filters = () =>
    Object.fromEntries(['service', 'professional'].map((k) => [k, form.elements[k].value]).filter(([, v]) => v));
  const to = params.to || today(ctx);
  const from = params.from || addDays(to, 1 - parseInt(params.period || '30', 10));
  const select = (name, label, items) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'm-' + name }, label),
      h(
        'select',
        { id: 'm-' + name, name, onchange: () => go({ ...withoutFilters(params), ...filters() }) },
        [['', t('all')], ...items.map((x) => [x.id, x.name])].map(([v, l]) =>
          h('option', { value: v, selected: v === (params[name] || '') }, l),
        ),
      ),
    );
  const form = h(
    'form',
    { class: 'panel range-picker', 'aria-label': t('rangeLabel') },
    h(
      'div',
      { class: 'period-choice', role: 'group', 'aria-label': t('rangeLabel') },
      PERIODS.map((n) =>
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-pressed': String(params.period === n + 'd'),
            onclick: () => go({ period: n + 'd', ...filters() }),
          },
          t('last' + n),
        ),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'm-from' }, t('fFrom')),
      h('input', { id: 'm-from', name: 'from', type: 'date', value: from }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'm-to' }, t('fTo')),
      h('input', { id: 'm-to', name: 'to', type: 'date', value: to }),
    ),
    h('button', { type: 'submit', class: 'primary' }, t('apply')),
    select('service', t('fService'), services),
    select('professional', t('fProfessional'), professionals),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go({ from: form.elements.from.value, to: form.elements.to.value, ...filters() });
  });
  return form;
}

function withoutFilters(params) {
  const { service: _s, professional: _p, ...rest } = params;
  return rest;
}

export async function metrics(ctx) {
  const { t, main } = ctx;
  const params = asked(ctx);
  let data;
  const lists = Promise.all([api.get('/api/admin/services'), api.get('/api/admin/professionals')]);
  try {
    data = await api.get('/api/admin/metrics', params);
  } catch (err) {
    if (err.status !== 400) throw err;
    data = null;
  }
  const [services, professionals] = await lists;
  if (ctx.stale()) return;
  pageHeader(main, t, t('metricsTitle'));
  main.append(picker(ctx, params, services.items || [], professionals.items || []));
  if (!data) {
    main.append(h('p', { class: 'form-error', role: 'alert' }, t('badRange')));
    return;
  }
  const prev = data.previous || {};
  const trend = data.trend || {};
  const long = { day: 'numeric', month: 'short', year: 'numeric' };
  const fromText = dayLabel(ctx, data.from, long);
  const toText = dayLabel(ctx, data.to, long);
  main.append(
    h(
      'p',
      { class: 'metrics-range', id: 'metrics-range' },
      t('rangeText', {
        from: fromText,
        to: toText,
        pfrom: dayLabel(ctx, prev.from || data.from, long),
        pto: dayLabel(ctx, prev.to || data.to, long),
      }),
    ),
  );

  const perDay = data.bookings_per_day || [];
  const total = perDay.reduce((n, d) => n + d.count, 0);
  const currency = ctx.session.tenant.currency || (perDay[0] && perDay[0].revenue.currency) || 'COP';
  const mainRevenue = (data.revenue || []).find((m) => m.currency === currency) || { amount: 0, currency };
  const others = (data.revenue || []).filter((m) => m.currency !== currency);
  const reminders = data.reminders || {};
  const by = data.cancellations_by || { customer: 0, merchant: 0, system: 0 };
  const lead = data.lead_time_hours_p50;
  const n = (v) => number(ctx, v ?? 0);
  main.append(
    h(
      'div',
      { class: 'kpis' },
      kpi('kpi-bookings', t('kpiBookings'), n(total), trendBadge(ctx, 'bookings', trend.bookings)),
      kpi(
        'kpi-revenue',
        t('kpiRevenue'),
        money(ctx, mainRevenue),
        trendBadge(ctx, 'revenue', trend.revenue),
        others.length ? t('revenueOther', { list: others.map((m) => money(ctx, m)).join(', ') }) : null,
      ),
      kpi(
        'kpi-conversion',
        t('kpiConversion'),
        percent(ctx, data.conversion.view_to_approved),
        null,
        t('before', { rate: percent(ctx, (prev.conversion || {}).view_to_approved) }),
      ),
      kpi(
        'kpi-cancellations',
        t('kpiCancellations'),
        n(data.cancellations),
        trendBadge(ctx, 'cancellations', trend.cancellations),
        t('cancelledBy', { c: n(by.customer), m: n(by.merchant), s: n(by.system) }),
      ),
      kpi(
        'kpi-reschedules',
        t('kpiReschedules'),
        n(data.reschedules),
        trendBadge(ctx, 'reschedules', trend.reschedules),
      ),
      kpi(
        'kpi-no-shows',
        t('kpiNoShows'),
        n(data.no_shows),
        trendBadge(ctx, 'no_shows', trend.no_shows),
        data.no_show_rate === null || data.no_show_rate === undefined
          ? null
          : t('kpiNoShowRate', { rate: percent(ctx, data.no_show_rate) }),
      ),
      // group classes: shown once a class with a booking started in the range
      data.seat_fill && data.seat_fill.places
        ? kpi(
            'kpi-seat-fill',
            t('kpiSeatFill'),
            percent(ctx, data.seat_fill.rate),
            null,
            t('kpiSeatFillOf', { booked: n(data.seat_fill.booked), places: n(data.seat_fill.places) }),
          )
        : null,
      kpi(
        'kpi-reminders',
        t('kpiReminders'),
        n(reminders.sent),
        null,
        t('kpiReminderEffect', {
          with: percent(ctx, reminders.no_show_rate_reminded),
          without: percent(ctx, reminders.no_show_rate_not_reminded),
        }),
      ),
      kpi(
        'kpi-lead',
        t('kpiLead'),
        lead === null || lead === undefined ? t('noData') : t('hours', { h: n(lead) }),
        null,
        data.lead_time_hours_avg === null || data.lead_time_hours_avg === undefined
          ? null
          : t('leadAvg', { n: n(data.lead_time_hours_avg) }),
      ),
      kpi(
        'kpi-rate-limited',
        techName(t('kpiRateLimited'), '(429)'),
        n(data.rate_limited),
        trendBadge(ctx, 'rate_limited', trend.rate_limited),
        t('kpiRateLimitedSub'),
      ),
      kpi(
        'kpi-calendar',
        t('kpiFailures'),
        n(data.calendar_failures),
        trendBadge(ctx, 'calendar_failures', trend.calendar_failures),
        techName(t('kpiOauth', { n: n(data.oauth_failures) }), '(OAuth)'),
      ),
    ),
  );

  // every chart's numbers are under the same caption, and written in the page's language
  const card = (options) => chartCard({ tableCaption: t('showData'), format: n, ...options });
  const prevDays = prev.bookings_per_day || [];
  const prevTotal = prevDays.reduce((n, d) => n + d.count, 0);
  const line = card({
    id: 'days-title',
    chart: lineChart,
    title: t('perDayTitle'),
    description: t('perDayDesc', { from: fromText, to: toText, n: n(total), p: n(prevTotal) }),
    labels: perDay.map((d) => dayLabel(ctx, d.date, { weekday: 'short', day: 'numeric', month: 'short' })),
    short: perDay.map((d) => dayLabel(ctx, d.date, { day: 'numeric', month: 'short' })),
    series: [
      { name: t('thisPeriod'), values: perDay.map((d) => d.count) },
      { name: t('previousPeriod'), values: perDay.map((_, i) => (prevDays[i] ? prevDays[i].count : 0)) },
    ],
    headers: [t('day'), t('bookings'), t('revenue'), t('previousDay'), t('bookings')],
    cells: (i) => [
      n(perDay[i].count),
      money(ctx, perDay[i].revenue),
      prevDays[i] ? dayLabel(ctx, prevDays[i].date, { day: 'numeric', month: 'short' }) : '—',
      prevDays[i] ? n(prevDays[i].count) : '—',
    ],
  });

  const prevBy = prev.cancellations_by || { customer: 0, merchant: 0, system: 0 };
  // the axis names each group in a word (cancellations by whom); the table says it whole
  const groups = [
    { label: t('rescheduled'), short: t('shortRescheduled'), values: [data.reschedules ?? 0, prev.reschedules ?? 0] },
    { label: t('byCustomer'), short: t('shortCustomer'), values: [by.customer, prevBy.customer] },
    { label: t('byMerchant'), short: t('shortMerchant'), values: [by.merchant, prevBy.merchant] },
    { label: t('bySystem'), short: t('shortSystem'), values: [by.system, prevBy.system] },
  ];
  const changes = card({
    id: 'changes-title',
    chart: groupedBarChart,
    title: t('changesTitle'),
    description: t('changesDesc', {
      text: groups.map((g) => `${g.label} ${n(g.values[0])} (${n(g.values[1])})`).join(', '),
    }),
    groups,
    series: [t('thisPeriod'), t('previousPeriod')],
    headers: ['', t('thisPeriod'), t('previousPeriod')],
  });

  const conv = [
    null,
    data.conversion.view_to_hold,
    data.conversion.hold_to_details,
    data.conversion.details_to_payment,
    data.conversion.payment_to_approved,
  ];
  const funnel = card({
    id: 'funnel-title',
    chart: hbarChart,
    title: t('funnelTitle'),
    description: t('funnelDesc', { from: fromText, to: toText }),
    headers: ['', t('visits'), t('conversion')],
    rows: STEPS.map((k, i) => ({
      label: t(k),
      value: data.funnel[k],
      text: n(data.funnel[k]),
      cells: [n(data.funnel[k]), i ? percent(ctx, conv[i]) : '—'],
    })),
  });

  const refunds = (data.refunds || []).length
    ? h('p', { class: 'hint' }, t('refunds', { list: data.refunds.map((m) => money(ctx, m)).join(', ') }))
    : null;
  const revenue = card({
    id: 'revenue-title',
    chart: barChart,
    more: [refunds],
    maxText: (p) => t('chartMax', { value: p.text }),
    title: t('revenueTitle'),
    description: t('revenueDesc', { from: fromText, to: toText, total: money(ctx, mainRevenue) }),
    headers: [t('day'), t('revenue')],
    points: perDay.map((d) => ({
      label: dayLabel(ctx, d.date, { weekday: 'short', day: 'numeric', month: 'short' }),
      short: dayLabel(ctx, d.date, { day: 'numeric', month: 'short' }),
      value: d.revenue.amount,
      text: money(ctx, d.revenue),
    })),
  });

  const a = data.assistant || { opened: 0, answered: 0, slot_picked: 0 };
  const assistant = card({
    id: 'assistant-title',
    chart: hbarChart,
    title: t('assistantTitle'),
    description: t('assistantDesc'),
    headers: ['', t('visits')],
    rows: ['opened', 'answered', 'slot_picked'].map((k) => ({ label: t(k), value: a[k], text: n(a[k]) })),
  });

  const ms = (v) =>
    v === null || v === undefined ? t('noData') : t('ms', { n: number(ctx, v, { maximumFractionDigits: 0 }) });
  const wl = data.webhook_latency_ms || {};
  const cl = data.callback_latency_ms || {};
  const latency = card({
    id: 'latency-title',
    chart: hbarChart,
    title: t('latencyTitle'),
    description: t('latencyDesc'),
    headers: [t('measure'), t('value')],
    rows: [
      ['webhookP50', wl.p50, 'light'],
      ['webhookP95', wl.p95],
      ['callbackP50', cl.p50, 'light'],
      ['callbackP95', cl.p95],
    ].map(([k, v, tone]) => ({
      label: t(k),
      hint: '(' + k.slice(-3).toLowerCase() + ')',
      value: v || 0,
      text: ms(v),
      tone,
    })),
  });
  main.append(
    h('div', { class: 'metrics-grid' }, funnel, changes),
    line,
    revenue,
    h('div', { class: 'metrics-grid' }, assistant, latency),
  );
}
