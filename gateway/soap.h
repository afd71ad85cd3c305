/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SOAP 1.1 / 1.2 envelopes and faults written by the gateway.
 *
 * A fault carries a fault code (client/sender or server/receiver, or the
 * WS-Security QName for WSS-/SAML- reasons), the reason's fixed public text,
 * and in its detail the stable reason code and the request id.  Nothing
 * else: details go to the log.
 */
#ifndef IMSGW_SOAP_H
#define IMSGW_SOAP_H

#include <libxml/tree.h>
#include "imsgw/buf.h"
#include "listener.h"

#define IGW_SOAP11_NS "http://schemas.xmlsoap.org/soap/envelope/"
#define IGW_SOAP12_NS "http://www.w3.org/2003/05/soap-envelope"
#define IGW_FAULT_NS  "urn:imsgw:fault:1"

/* The first element child of n (e.g. the request element of a Body), or NULL. */
xmlNodePtr igw_soap_first_element(xmlNodePtr n);
/* Content type of a SOAP version (11 or 12). */
const char *igw_soap_content_type(int version);
/* Response: envelope around body_xml (UTF-8, already serialised). */
void igw_soap_response(struct igw_http_response *resp, int version, const char *body_xml,
                       size_t len);
/* Fault for reason (a code of core/src/reason.c).  HTTP status: 500, or the
 * reason's own status when it is 503 (overload, back end unavailable). */
void igw_soap_fault(struct igw_http_response *resp, int version, const char *reason,
                    const char *reqid);

#endif
