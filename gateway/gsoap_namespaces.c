/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The namespace table libgsoapssl needs.  Outbound messages are raw XML, so
 * the envelope namespaces are all it has to know.  Part of igw_gsoap_glue,
 * which is linked whole into every program that links gSOAP. */
#include <stdsoap2.h>

SOAP_NMAC struct Namespace namespaces[] = {
	{ "SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/*/soap-envelope", NULL },
	{ "SOAP-ENC", "http://schemas.xmlsoap.org/soap/encoding/", "http://www.w3.org/*/soap-encoding", NULL },
	{ "xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance", NULL },
	{ "xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", NULL },
	{ NULL, NULL, NULL, NULL },
};
