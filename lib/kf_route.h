#ifndef KF_ROUTE_H
#define KF_ROUTE_H
#endif
