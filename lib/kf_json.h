#ifndef KF_JSON_H
#define KF_JSON_H
#endif
