"use client";
// A lab service's port in lesson text and panel titles, as the running lab reports it (service-port.ts):
// `<ServicePort service="tcp-echo" />` in a lesson's MDX, useServicePort in a panel. Needs a LabStatusProvider
// above it (LessonPage has one).

import { useLabStatus } from "../lab-status";
import { servicePort, type LabServiceName } from "../service-port";

export function useServicePort(service: LabServiceName): number {
  return servicePort(useLabStatus(), service);
}

/** The port as plain digits: never grouped ("8888", not "8,888"). */
export function ServicePort({ service }: { service: LabServiceName }) {
  return <span data-service-port={service}>{useServicePort(service)}</span>;
}
