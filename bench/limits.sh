# Sourced by bench/run and bench/ab: the settings of a benchmark run, written to FILE by
# bench_limits FILE (remove it and restart httpd afterwards). The benchmarks are one client
# (127.0.0.1) doing what thousands of customers do: the public per-IP limits
# (docs/operations.md "Security") are lifted; the holds come from distinct customers'
# addresses (X-Forwarded-For, trusted from 127.0.0.1 for the run); the in-memory baseline is
# on; and the paced loads' slot numbers (X-Bench-Seq, bench/paced.lua) are echoed back.
bench_limits() {
    printf '%s\n' "KonfirmadoPublicReadLimit 1000000" "KonfirmadoHoldLimit 1000000" \
        "KonfirmadoBookingLimit 1000000" "KonfirmadoActiveHoldLimit 1000000" \
        "KonfirmadoBadWebhookLimit 1000000" \
        "KonfirmadoBenchBaseline On" \
        "<Location /bench-baseline>" "SetHandler konfirmado-bench-baseline" "</Location>" \
        "<IfModule !remoteip_module>" "LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so" \
        "</IfModule>" "RemoteIPHeader X-Forwarded-For" "RemoteIPInternalProxy 127.0.0.1" \
        "<IfModule !headers_module>" "LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so" \
        "</IfModule>" "Header always echo ^X-Bench-Seq\$" > "$1"
}
