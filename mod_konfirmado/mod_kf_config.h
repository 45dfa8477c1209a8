#ifndef MOD_KF_CONFIG_H
#define MOD_KF_CONFIG_H
#endif
