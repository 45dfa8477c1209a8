#ifndef KF_I18N_H
#define KF_I18N_H
#endif
