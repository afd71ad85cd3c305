/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XML configuration files (bundles, services): parse safely and validate
 * against a schema compiled into imsgw, reporting "file:line: reason".
 *
 * Parsing: no DTD loading, no entity substitution, no network; a document
 * with a DOCTYPE is refused; file size capped at IGW_CONFIG_FILE_MAX.
 */
#ifndef IMSGW_XMLCONF_H
#define IMSGW_XMLCONF_H

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include "imsgw/conffile.h"

/* Compile a schema held in memory; NULL (and a report through e) on error. */
xmlSchemaPtr igw_xml_schema_compile(const char *xsd, size_t len, struct igw_conf_errors *e);

/* Parse path and validate it against schema.  Returns the document (caller
 * frees with xmlFreeDoc) or NULL after reporting every problem through e
 * (whose file name is set to path for the duration). */
xmlDocPtr igw_xml_load(const char *path, xmlSchemaPtr schema, struct igw_conf_errors *e);

/* Attribute value (caller frees with xmlFree), NULL if absent. */
char *igw_xml_attr(xmlNodePtr n, const char *name);
/* Typed attribute reads; the schema has already checked the syntax and
 * range, so these only convert.  dflt when the attribute is absent. */
unsigned igw_xml_attr_uint(xmlNodePtr n, const char *name, unsigned dflt);
int igw_xml_attr_bool(xmlNodePtr n, const char *name, int dflt);
/* 1 if the attribute is present and equals value. */
int igw_xml_attr_is(xmlNodePtr n, const char *name, const char *value);
/* Attribute as a malloc'd string (dflt copied when absent; NULL if dflt is NULL). */
char *igw_xml_attr_dup(xmlNodePtr n, const char *name, const char *dflt);
/* Attribute as a path resolved against file's folder (malloc'd), or NULL. */
char *igw_xml_attr_path(xmlNodePtr n, const char *name, const char *file);
/* First child element with this local name, or NULL. */
xmlNodePtr igw_xml_child(xmlNodePtr n, const char *name);
/* Source line of a node (0 if unknown). */
int igw_xml_line(xmlNodePtr n);

#endif
