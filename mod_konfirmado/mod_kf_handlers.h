#ifndef MOD_KF_HANDLERS_H
#define MOD_KF_HANDLERS_H
#endif
