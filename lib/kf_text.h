#ifndef KF_TEXT_H
#define KF_TEXT_H
#endif
