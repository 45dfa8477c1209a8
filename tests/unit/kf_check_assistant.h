#ifndef KF_CHECK_ASSISTANT_H
#define KF_CHECK_ASSISTANT_H
/* The link the assistant's suites ask about: four services, four professionals, and the
 * system's tzdata for zones. */
#include "kf_check_zone.h"
#include "kf_assistant_intent.h"

#define SVC_CUT "11111111-1111-4111-8111-111111111111"
#define SVC_MASSAGE "22222222-2222-4222-8222-222222222222"
#define SVC_NAILS "33333333-3333-4333-8333-333333333333"
#define SVC_FACIAL "44444444-4444-4444-8444-444444444444"
#define PRO_ANA "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
#define PRO_WAIS "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
#define PRO_LUCIA "cccccccc-cccc-4ccc-8ccc-cccccccccccc"
#define PRO_SANTIAGO "dddddddd-dddd-4ddd-8ddd-dddddddddddd"

static const kf_assistant_item test_services[] = {
    {SVC_CUT, "Corte de cabello", 30, NULL, NULL, 1},
    {SVC_MASSAGE, "Masaje relajante", 60, NULL, NULL, 1},
    {SVC_NAILS, "Manicure", 45, NULL, NULL, 1},
    {SVC_FACIAL, "Facial", 90, NULL, NULL, 1},
};
static const char *const wais_offers[] = {SVC_CUT, SVC_MASSAGE, NULL};
static const char *const lucia_offers[] = {SVC_MASSAGE, SVC_NAILS, SVC_FACIAL, NULL};
static const char *const santiago_offers[] = {SVC_CUT, NULL};
static const kf_assistant_item test_professionals[] = {
    {PRO_ANA, "Ana Gómez", 0, NULL, "America/Bogota", 1},
    {PRO_WAIS, "Wais Hamid", 0, wais_offers, "America/Bogota", 1},
    {PRO_LUCIA, "Lucía Pérez", 0, lucia_offers, "Europe/Madrid", 1},
    {PRO_SANTIAGO, "Santiago Ruiz", 0, santiago_offers, "America/Bogota", 1},
};
static const kf_assistant_catalog test_catalog = {test_services, 4, test_professionals, 4};

static inline const kf_zone *test_zone_fn(void *baton, const char *name)
{
    const char *why = NULL;
    return name ? kf_zone_load(pool, ZONEINFO, name, &why) : NULL;
}

#endif
