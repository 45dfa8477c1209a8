// What a customer pays now and may undo, said before any payment (the details step and the
// assistant's answer): the amount due now in the business's currency (a deposit beside the
// service's full price), "free" for a free service, and the business's cancellation and
// reschedule policy in one sentence (GET /api/public/links/{link}: tenant.policy).
import { h } from './dom.js';
import { formatMoney } from './format.js';

// The service's charge, as the link lists it (older answers: the full price).
export function chargeOf(svc) {
  return svc.charge || { type: 'total', amount: svc.price.amount, currency: svc.price.currency };
}

// Whether a charge asks for nothing before the appointment.
export function isFreeCharge(charge) {
  return charge.type === 'free' || !charge.amount;
}

// The policy in one sentence; '' when the link did not say it.
export function policySentence(t, policy, free) {
  if (!policy || typeof policy.cancel_cutoff_hours !== 'number') return '';
  const until = (hours) => (hours > 0 ? t('policyHoursBefore', { hours }) : t('policyUntilStart'));
  const refund = free ? 'Free' : policy.refund_on_cancel === 'none' ? 'NoRefund' : 'Refund';
  const cancel = until(policy.cancel_cutoff_hours);
  if (!(policy.max_reschedules > 0)) return t('policyCancel' + refund, { until: cancel });
  const move = until(policy.reschedule_cutoff_hours);
  if (move === cancel) return t('policyBoth' + refund, { until: cancel });
  return t('policyApart' + refund, { until: cancel, moveUntil: move });
}

// The amount due now and the policy, as one block (role=note: read with the step).
export function chargeSummary(ctx, svc, policy, { id = null } = {}) {
  const { t } = ctx;
  const charge = chargeOf(svc);
  const free = isFreeCharge(charge);
  const amount = free
    ? h('p', { class: 'pay-now' }, h('strong', {}, t('payNowFree')))
    : h(
        'p',
        { class: 'pay-now' },
        h('strong', {}, t('payNowAmount', { amount: formatMoney(charge, ctx.tag) })),
        charge.type === 'partial'
          ? h('span', { class: 'pay-rest' }, ' ' + t('payNowDepositOf', { price: formatMoney(svc.price, ctx.tag) }))
          : null,
      );
  const sentence = policySentence(t, policy, free);
  return h(
    'div',
    { class: 'pay-summary', id, role: 'note' },
    amount,
    sentence ? h('p', { class: 'pay-policy' }, sentence) : null,
  );
}
