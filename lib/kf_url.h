#ifndef KF_URL_H
#define KF_URL_H
#endif
