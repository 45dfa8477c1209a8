/* Unit tests for the assistant's fuzzy word matcher (kf_assistant_fuzzy.h): Spanish
 * diminutives, typos bounded by length with letters that sound alike, and the stems of a
 * catalog's names; real words one letter away from a known word stay themselves. Words are
 * given folded, as the parser's words are ("mañanita" is "mananita"). */
#include "kf_check.h"
#include "kf_assistant_fuzzy.h"

START_TEST(diminutives_are_their_word)
{
    ck_assert(kf_fuzzy_diminutive("masajito", "masaje"));
    ck_assert(kf_fuzzy_diminutive("masajitos", "masaje"));
    ck_assert(kf_fuzzy_diminutive("mananita", "manana"));
    ck_assert(kf_fuzzy_diminutive("tardecita", "tarde"));
    ck_assert(kf_fuzzy_diminutive("nochecita", "noche"));
    ck_assert(kf_fuzzy_diminutive("cortecito", "corte"));
    ck_assert(kf_fuzzy_diminutive("tempranito", "temprano"));
    ck_assert(kf_fuzzy_diminutive("poquito", "poco"));       /* c written qu */
    ck_assert(kf_fuzzy_diminutive("amiguito", "amigo"));     /* g written gu */
    ck_assert(kf_fuzzy_diminutive("lucecita", "luz"));       /* z written c */
    ck_assert(kf_fuzzy_diminutive("anita", "ana"));
    ck_assert(!kf_fuzzy_diminutive("cita", "ca"));
    ck_assert(!kf_fuzzy_diminutive("masajito", "masa"));
    ck_assert(!kf_fuzzy_diminutive("tarde", "tarde"));
    ck_assert(!kf_fuzzy_diminutive("marita", "martes"));
}
END_TEST

START_TEST(typos_are_bounded_by_length)
{
    ck_assert_int_eq(kf_fuzzy_typos(4), 0);
    ck_assert_int_eq(kf_fuzzy_typos(5), 1);
    ck_assert_int_eq(kf_fuzzy_typos(7), 1);
    ck_assert_int_eq(kf_fuzzy_typos(8), 2);
    ck_assert_int_eq(kf_fuzzy_cost("tarde", "tarde"), 0);
    ck_assert_int_eq(kf_fuzzy_cost("tardecita", "tarde"), 1);
    ck_assert_int_eq(kf_fuzzy_cost("afernoon", "afternoon"), 2);    /* a letter missing */
    ck_assert_int_eq(kf_fuzzy_cost("afternon", "afternoon"), 2);
    ck_assert_int_eq(kf_fuzzy_cost("mornin", "morning"), 2);
    ck_assert_int_eq(kf_fuzzy_cost("evenning", "evening"), 2);      /* one too many */
    ck_assert_int_eq(kf_fuzzy_cost("mornign", "morning"), 2);       /* neighbours swapped */
    ck_assert_int_eq(kf_fuzzy_cost("lunnes", "lunes"), 2);
    ck_assert_int_eq(kf_fuzzy_cost("biernes", "viernes"), 2);       /* b for v */
    ck_assert_int_eq(kf_fuzzy_cost("juevez", "jueves"), 2);         /* z for s */
    ck_assert_int_eq(kf_fuzzy_cost("tommorow", "tomorrow"), 3);     /* two in 8 letters */
    ck_assert_int_eq(kf_fuzzy_cost("miercole", "miercoles"), 2);
    /* too far, too short, or a real word a letter away */
    ck_assert_int_eq(kf_fuzzy_cost("tomorw", "tomorrow"), -1);      /* two, but 6 letters */
    ck_assert_int_eq(kf_fuzzy_cost("lune", "lunes"), -1);
    ck_assert_int_eq(kf_fuzzy_cost("light", "night"), -1);
    ck_assert_int_eq(kf_fuzzy_cost("lines", "lunes"), -1);
    ck_assert_int_eq(kf_fuzzy_cost("manera", "manana"), -1);
    ck_assert_int_eq(kf_fuzzy_cost("medida", "mediodia"), -1);
    ck_assert_int_eq(kf_fuzzy_cost("openings", "evenings"), -1);
}
END_TEST

START_TEST(names_match_their_stem_diminutive_or_close_spelling)
{
    ck_assert(kf_fuzzy_names("consultation", "consulta"));
    ck_assert(kf_fuzzy_names("consultas", "consulta"));
    ck_assert(kf_fuzzy_names("masajista", "masaje"));
    ck_assert(kf_fuzzy_names("masajito", "masaje"));
    ck_assert(kf_fuzzy_names("anita", "ana"));
    ck_assert(kf_fuzzy_names("masage", "masaje"));
    ck_assert(!kf_fuzzy_names("consultationsxyz", "consulta"));  /* too long to be its word */
    ck_assert(!kf_fuzzy_names("consulado", "consulta"));        /* its stem is "consult" */
    ck_assert(!kf_fuzzy_names("cortina", "corte"));             /* "cort" is too short a stem */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assistant_fuzzy");
    TCase *tc = tcase_create("fuzzy");
    tcase_add_test(tc, diminutives_are_their_word);
    tcase_add_test(tc, typos_are_bounded_by_length);
    tcase_add_test(tc, names_match_their_stem_diminutive_or_close_spelling);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
