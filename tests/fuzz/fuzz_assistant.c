/* The booking assistant's readers of customer input: a sentence (the parser, with a
 * catalog and zones from the system's tzdata, and the masked copy a language model may be
 * sent), the follow-up's context, and a language model's answer; the slots chosen and the
 * answer written for what was read. */
#include "fuzz_common.h"
#include "kf_assistant_answer.h"
#include "kf_assistant_llm.h"
#include "kf_assistant_mask.h"
#include "kf_time.h"

static const kf_zone *zone_of(void *baton, const char *name)
{
    const char *why = NULL;
    return name ? kf_zone_load(baton, "/usr/share/zoneinfo", name, &why) : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const offers[] = {"11111111-1111-4111-8111-111111111111", NULL};
    static const kf_assistant_item services[] = {
        {"11111111-1111-4111-8111-111111111111", "Corte de cabello", 30, NULL, NULL, 1},
        {"22222222-2222-4222-8222-222222222222", "Masaje relajante", 60, NULL, NULL, 1}};
    static const kf_assistant_item pros[] = {
        {"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "Ana Gómez", 0, offers, "America/Bogota", 1},
        {"bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "Santiago Ruiz", 0, NULL, "Europe/Madrid", 1}};
    static const kf_assistant_catalog catalog = {services, 2, pros, 2};
    apr_pool_t *p = fuzz_pool();
    const char *text = fuzz_text(p, data, size);
    apr_int64_t now = kf_days_from_civil(2026, 11, 25) * 86400 + 15 * 3600;
    apr_int64_t today = kf_days_from_civil(2026, 11, 25);
    kf_intent in, before;
    kf_assistant_parse(p, text, now, "America/Bogota", KF_LOCALE_ES, zone_of, p, &catalog, &in);
    (void)kf_assistant_mask(p, text);
    kf_assistant_offer offered[KF_ASSISTANT_MAX_SLOTS];
    int n = 0;
    if (kf_assistant_context_decode(p, text, &before, offered, &n)) {
        kf_assistant_merge(&before, &in);
    }
    kf_assistant_llm llm;
    if (kf_assistant_llm_read(p, text, size, today, &catalog, &llm)) {
        kf_assistant_llm_apply(&llm, &catalog, &in);
    }
    kf_assistant_reconcile(&catalog, &in);
    /* slots every hour of the next two weeks, chosen for what was read */
    kf_slot slots[14 * 10];
    int ns = 0;
    for (int d = 0; d < 14; d++) {
        for (int h = 13; h < 23; h++) {
            slots[ns].start = (today + d) * 86400 + h * 3600;
            slots[ns].end = slots[ns].start + 1800;
            slots[ns].prof = ns % 2;
            slots[ns].load = 0;
            ns++;
        }
    }
    const kf_tz_change changes[] = {{0, -5 * 3600}};
    const char *ids[] = {pros[0].id, pros[1].id};
    kf_assistant_choice ch;
    kf_assistant_choose(p, &in, today, slots, ns, changes, 1, ids, offered, n, &ch);
    const kf_zone *bogota = zone_of(p, "America/Bogota");
    const kf_zone *zones[] = {bogota, zone_of(p, "Europe/Madrid")};
    const char *zone_names[] = {"America/Bogota", "Europe/Madrid"};
    const kf_zone *customer = zone_of(p, in.timezone);
    kf_assistant_view view = {.catalog = &catalog, .customer = customer ? customer : bogota, .prof_ids = ids, .prof_zone_names = zone_names, .prof_zones = zones};
    json_decref(kf_assistant_answer(p, &in, &ch, &view, kf_assistant_context_encode(p, &in, &ch, &view)));
    apr_pool_destroy(p);
    return 0;
}
