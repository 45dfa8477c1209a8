#ifndef KF_CRYPTO_H
#define KF_CRYPTO_H
#endif
