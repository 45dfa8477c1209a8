#ifndef KF_HTTP_H
#define KF_HTTP_H
#endif
