// SPDX-License-Identifier: GPL-2.0-or-later
// Empty gSOAP interface: soapcpp2 makes the runtime glue (gsoap_envC.c) that
// libgsoapssl needs; imsgw sends raw XML, so no operations are declared.
//gsoap ns service name: imsgw_env
