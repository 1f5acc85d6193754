/*
 * member: party members (党员), with search by name, Mongolian name and pinyin.
 */
#ifndef RONGHE_MEMBER_H
#define RONGHE_MEMBER_H

struct resource;
extern const struct resource res_members;

#endif
