/* Logo uploads: the PNG and SVG checks over untrusted bytes. */
#include "fuzz_common.h"
#include "kf_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    kf_image_sniff(data, size);
    kf_png_check(data, size);
    kf_svg_check(p, data, size);
    apr_pool_destroy(p);
    return 0;
}
