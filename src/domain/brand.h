/*
 * brand: party-building brands (a tree per branch), their work methods, each method's
 * countable elements, and honours of branches and members.
 */
#ifndef RONGHE_BRAND_H
#define RONGHE_BRAND_H

struct resource;
extern const struct resource res_brands, res_methods, res_method_elements, res_honours;

#endif
