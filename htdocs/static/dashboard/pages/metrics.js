// Metrics of a date range (API.md: GET /api/admin/metrics): the booking funnel and its
// conversions, bookings and revenue per day, cancellations, lead time, and how fast
// webhooks are handled and callbacks answered. The range lives in the address.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader } from '../ui.js';
import { barChart, hbarChart } from '../chart.js';
import { money, today, addDays } from './common.js';

addMessages({
  es: {
    metricsTitle: 'Métricas', fFrom: 'Desde', fTo: 'Hasta', apply: 'Aplicar', last7: 'Últimos 7 días',
    last30: 'Últimos 30 días', last90: 'Últimos 90 días', rangeLabel: 'Periodo',
    funnelTitle: 'Embudo de reservas', funnelDesc: 'Visitas distintas en cada paso, del {from} al {to}.',
    link_viewed: 'Abrieron el enlace', slot_held: 'Apartaron un horario', details_entered: 'Dejaron sus datos',
    payment_started: 'Fueron a pagar', payment_approved: 'Pago aprobado', visits: 'Visitas', conversion: 'Conversión',
    perDayTitle: 'Reservas por día', perDayDesc: 'Reservas pagadas por día del {from} al {to}: {n} en total.',
    day: 'Día', bookings: 'Reservas', revenue: 'Ingresos', latencyTitle: 'Tiempos de respuesta',
    latencyDesc: 'Mediana (p50) y percentil 95 del procesamiento de webhooks y de la respuesta de tu servidor.',
    webhookP50: 'Webhooks p50', webhookP95: 'Webhooks p95', callbackP50: 'Tu servidor p50', callbackP95: 'Tu servidor p95',
    measure: 'Medida', value: 'Valor', kpiBookings: 'Reservas pagadas', kpiRevenue: 'Ingresos', kpiConversion: 'Conversión total',
    kpiCancellations: 'Cancelaciones', kpiReschedules: 'Reprogramaciones', kpiLead: 'Anticipación (mediana)',
    kpiNoShows: 'Inasistencias', kpiNoShowRate: '{rate} de las citas marcadas',
    hours: '{n} h', ms: '{n} ms', noData: 'sin datos', showData: 'Ver los números',
    badRange: 'Revisa las fechas: «desde» no puede ser posterior a «hasta» y el periodo es de hasta un año.',
  },
  en: {
    metricsTitle: 'Metrics', fFrom: 'From', fTo: 'To', apply: 'Apply', last7: 'Last 7 days',
    last30: 'Last 30 days', last90: 'Last 90 days', rangeLabel: 'Period',
    funnelTitle: 'Booking funnel', funnelDesc: 'Distinct visits at each step, from {from} to {to}.',
    link_viewed: 'Opened the link', slot_held: 'Held a time', details_entered: 'Entered their details',
    payment_started: 'Went to pay', payment_approved: 'Payment approved', visits: 'Visits', conversion: 'Conversion',
    perDayTitle: 'Bookings per day', perDayDesc: 'Paid bookings per day from {from} to {to}: {n} in all.',
    day: 'Day', bookings: 'Bookings', revenue: 'Revenue', latencyTitle: 'Response times',
    latencyDesc: 'Median (p50) and 95th percentile of webhook processing and of your server\u2019s answer.',
    webhookP50: 'Webhooks p50', webhookP95: 'Webhooks p95', callbackP50: 'Your server p50', callbackP95: 'Your server p95',
    measure: 'Measure', value: 'Value', kpiBookings: 'Paid bookings', kpiRevenue: 'Revenue', kpiConversion: 'Overall conversion',
    kpiCancellations: 'Cancellations', kpiReschedules: 'Reschedules', kpiLead: 'Lead time (median)',
    kpiNoShows: 'No-shows', kpiNoShowRate: '{rate} of marked appointments',
    hours: '{n} h', ms: '{n} ms', noData: 'no data', showData: 'Show the numbers',
    badRange: 'Check the dates: “from” cannot be after “to”, and the period is at most one year.',
  },
});

const STEPS = ['link_viewed', 'slot_held', 'details_entered', 'payment_started', 'payment_approved'];

function percent(ctx, ratio) {
  if (ratio === null || ratio === undefined) return ctx.t('noData');
  return new Intl.NumberFormat(ctx.tag, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

function dayLabel(ctx, key, opts) {
  const [y, m, d] = key.split('-').map(Number);
  return new Intl.DateTimeFormat(ctx.tag, { ...opts, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

export async function metrics(ctx) {
  const { t, main, query } = ctx;
  const to = query.get('to') || today(ctx);
  const from = query.get('from') || addDays(to, -29);
  let data;
  try {
    data = await api.get('/api/admin/metrics', { from, to });
  } catch (err) {
    if (err.status !== 400) throw err;
    data = null;
  }
  if (ctx.stale()) return;
  pageHeader(main, t, t('metricsTitle'));

  const go = (f, tt) => ctx.navigate('/dashboard/metrics?from=' + f + '&to=' + tt);
  const picker = h('form', { class: 'panel range-picker', 'aria-label': t('rangeLabel') },
    h('div', { class: 'field' }, h('label', { for: 'm-from' }, t('fFrom')), h('input', { id: 'm-from', name: 'from', type: 'date', value: from })),
    h('div', { class: 'field' }, h('label', { for: 'm-to' }, t('fTo')), h('input', { id: 'm-to', name: 'to', type: 'date', value: to })),
    h('button', { type: 'submit', class: 'primary' }, t('apply')),
    [7, 30, 90].map((n) => h('button', { type: 'button', class: 'secondary', onclick: () => go(addDays(today(ctx), 1 - n), today(ctx)) }, t('last' + n))));
  picker.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(picker.elements.from.value, picker.elements.to.value);
  });
  main.append(picker);
  if (!data) {
    main.append(h('p', { class: 'form-error', role: 'alert' }, t('badRange')));
    return;
  }

  const perDay = data.bookings_per_day || [];
  const total = perDay.reduce((n, d) => n + d.count, 0);
  const currency = (perDay.find((d) => d.revenue && d.revenue.currency) || {}).revenue?.currency || ctx.session.tenant.currency || 'COP';
  const revenue = perDay.reduce((n, d) => n + (d.revenue ? d.revenue.amount : 0), 0);
  const kpi = (id, label, value) => h('div', { class: 'kpi', id }, h('span', { class: 'kpi-value' }, value), h('span', { class: 'kpi-label' }, label));
  main.append(h('div', { class: 'kpis' },
    kpi('kpi-bookings', t('kpiBookings'), String(total)),
    kpi('kpi-revenue', t('kpiRevenue'), money(ctx, { amount: revenue, currency })),
    kpi('kpi-conversion', t('kpiConversion'), percent(ctx, data.conversion.view_to_approved)),
    kpi('kpi-cancellations', t('kpiCancellations'), String(data.cancellations ?? 0)),
    kpi('kpi-reschedules', t('kpiReschedules'), String(data.reschedules ?? 0)),
    kpi('kpi-no-shows', data.no_show_rate === null || data.no_show_rate === undefined ? t('kpiNoShows')
      : t('kpiNoShows') + ' · ' + t('kpiNoShowRate', { rate: percent(ctx, data.no_show_rate) }),
    String(data.no_shows ?? 0)),
    kpi('kpi-lead', t('kpiLead'), data.lead_time_hours_p50 === null || data.lead_time_hours_p50 === undefined
      ? t('noData') : t('hours', { n: Math.round(data.lead_time_hours_p50 * 10) / 10 }))));

  const fromText = dayLabel(ctx, data.from, { day: 'numeric', month: 'short', year: 'numeric' });
  const toText = dayLabel(ctx, data.to, { day: 'numeric', month: 'short', year: 'numeric' });
  const conv = [null, data.conversion.view_to_hold, data.conversion.hold_to_details,
    data.conversion.details_to_payment, data.conversion.payment_to_approved];
  const funnel = hbarChart({
    title: t('funnelTitle'), description: t('funnelDesc', { from: fromText, to: toText }),
    tableCaption: t('showData'), headers: ['', t('visits'), t('conversion')],
    rows: STEPS.map((k, i) => ({ label: t(k), value: data.funnel[k], text: String(data.funnel[k]),
      cells: [String(data.funnel[k]), i ? percent(ctx, conv[i]) : '—'] })),
  });
  const days = barChart({
    title: t('perDayTitle'), description: t('perDayDesc', { from: fromText, to: toText, n: total }),
    tableCaption: t('showData'), headers: [t('day'), t('bookings'), t('revenue')],
    points: perDay.map((d) => ({ label: dayLabel(ctx, d.date, { weekday: 'short', day: 'numeric', month: 'short' }),
      short: dayLabel(ctx, d.date, { day: 'numeric', month: 'short' }), value: d.count, text: String(d.count),
      cells: [String(d.count), money(ctx, d.revenue)] })),
  });
  const ms = (v) => (v === null || v === undefined ? t('noData') : t('ms', { n: Math.round(v) }));
  const wl = data.webhook_latency_ms || {};
  const cl = data.callback_latency_ms || {};
  const latency = hbarChart({
    title: t('latencyTitle'), description: t('latencyDesc'), tableCaption: t('showData'),
    headers: [t('measure'), t('value')],
    rows: [['webhookP50', wl.p50, 'light'], ['webhookP95', wl.p95], ['callbackP50', cl.p50, 'light'], ['callbackP95', cl.p95]]
      .map(([k, v, tone]) => ({ label: t(k), value: v || 0, text: ms(v), tone })),
  });
  main.append(h('div', { class: 'metrics-grid' },
    h('section', { class: 'panel', 'aria-labelledby': 'funnel-title' }, h('h2', { id: 'funnel-title' }, t('funnelTitle')), funnel),
    h('section', { class: 'panel', 'aria-labelledby': 'latency-title' }, h('h2', { id: 'latency-title' }, t('latencyTitle')), latency)),
  h('section', { class: 'panel', 'aria-labelledby': 'days-title' }, h('h2', { id: 'days-title' }, t('perDayTitle')), days));
}
