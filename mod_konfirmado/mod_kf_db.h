#ifndef MOD_KF_DB_H
#define MOD_KF_DB_H
#endif
