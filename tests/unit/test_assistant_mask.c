/* Unit tests for lib/assistant/kf_assistant_mask.c: what of a customer's sentence may leave
 * for the language model. The customer's name, given after an introduction, never does;
 * emails and phones are masked as before; the rest of the sentence reads as written. */
#include "kf_check.h"
#include "kf_assistant_mask.h"
#include "kf_assistant_llm.h"

#include <string.h>

#define ck_masked(text, expected) ck_assert_str_eq(kf_assistant_mask(pool, text), expected)

START_TEST(a_name_after_an_introduction_is_masked)
{
    ck_masked("Hola, soy Ana María Pérez y quiero una cita mañana",
              "Hola, soy *** y quiero una cita mañana");
    ck_masked("me llamo ana maria perez, quiero una cita", "me llamo ***, quiero una cita");
    ck_masked("Mi nombre es Carlos Ruiz. Mañana a las 3", "Mi nombre es ***. Mañana a las 3");
    ck_masked("My name is John O'Brien and I want a haircut tomorrow",
              "My name is *** and I want a haircut tomorrow");
    ck_masked("my name's kate, friday morning", "my name's ***, friday morning");
    ck_masked("I'm Lucía de la Torre, tomorrow at 5", "I'm ***, tomorrow at 5");
    ck_masked("Hi, I am Álvaro Núñez-Gil with a question", "Hi, I am *** with a question");
    ck_masked("this is Ana M. Pérez: any time on Monday", "this is ***: any time on Monday");
    ck_masked("Nombre: Ana Pérez. Mañana por la tarde", "Nombre: ***. Mañana por la tarde");
    ck_masked("name: ana perez - tomorrow", "name: *** - tomorrow");
    ck_masked("la cita a nombre de carlos ruiz para el martes",
              "la cita a nombre de *** para el martes");
    ck_masked("Me llamo Domingo y quiero el domingo", "Me llamo *** y quiero el domingo");
    /* every introduction of the sentence */
    ck_masked("soy Ana; my name is Ana Gil", "soy ***; my name is ***");
    /* a capitalised name is masked however long; words in lowercase, at most five */
    ck_masked("me llamo Ana María Pérez Gómez de la Torre Ruiz", "me llamo ***");
    ck_masked("me llamo ana maria perez gomez ruiz necesitaria corte",
              "me llamo *** necesitaria corte");
}
END_TEST

START_TEST(what_is_no_name_is_left_as_written)
{
    ck_masked("Soy de Bogotá, mañana a las 3", "Soy de Bogotá, mañana a las 3");
    ck_masked("soy nuevo, ¿hay algo mañana?", "soy nuevo, ¿hay algo mañana?");
    ck_masked("I'm in Madrid, tomorrow afternoon", "I'm in Madrid, tomorrow afternoon");
    ck_masked("I am free on Monday", "I am free on Monday");
    ck_masked("mañana con Ana Gómez", "mañana con Ana Gómez");   /* the merchant's professional */
    ck_masked("my name", "my name");
    ck_masked("me llamo", "me llamo");
    ck_masked("nombre del servicio corte", "nombre del servicio corte");
    ck_masked("soy 2 personas", "soy 2 personas");
    ck_masked("", "");
    ck_assert_str_eq(kf_assistant_mask(pool, NULL), "");
}
END_TEST

START_TEST(emails_and_phones_are_masked_with_the_name)
{
    ck_masked("soy Ana, ana@correo.co o +57 300 123 4567",
              "soy ***, a***@correo.co o +57*******567");
}
END_TEST

START_TEST(the_models_request_carries_no_name)
{
    kf_assistant_item pro = {"p1", "Ana Gómez", 0, NULL, "America/Bogota", 1};
    kf_assistant_item svc = {"s1", "Corte", 30, NULL, NULL, 1};
    kf_assistant_catalog cat = {&svc, 1, &pro, 1};
    const char *body = kf_assistant_llm_body(pool, "m", "Soy Lucía Fernández, con la chica del "
                                             "pelo rizado", 20000, &cat);
    ck_assert_ptr_null(strstr(body, "Luc"));
    ck_assert_ptr_null(strstr(body, "Fern"));
    ck_assert_ptr_nonnull(strstr(body, "Soy ***, con la chica del pelo rizado"));
    ck_assert_ptr_nonnull(strstr(body, "Ana G"));   /* the catalog's names are sent */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assistant_mask");
    TCase *tc = tcase_create("assistant_mask");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_name_after_an_introduction_is_masked);
    tcase_add_test(tc, what_is_no_name_is_left_as_written);
    tcase_add_test(tc, emails_and_phones_are_masked_with_the_name);
    tcase_add_test(tc, the_models_request_carries_no_name);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
