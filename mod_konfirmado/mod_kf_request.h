#ifndef MOD_KF_REQUEST_H
#define MOD_KF_REQUEST_H
#endif
