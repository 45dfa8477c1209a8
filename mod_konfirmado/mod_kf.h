#ifndef MOD_KF_H
#define MOD_KF_H
#endif
