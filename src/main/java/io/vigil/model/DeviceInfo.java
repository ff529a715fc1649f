package io.vigil.model;

/**
 * The device that measured a value.
 *
 * @param id device identifier, normalised upper-case hex when it is an EUI-64
 * @param idType "EUI-64" or "serial"
 * @param kind MDC code of the device (MDS) when known, e.g. 69965 (multi-parameter monitor)
 * @param model model text as sent, may be null
 * @param containment IEEE 11073 containment path MDS.VMD.channel.metric as sent in OBX-4
 */
public record DeviceInfo(String id, String idType, String kind, String model, String containment) {

    public DeviceInfo withContainment(String path) {
        return new DeviceInfo(id, idType, kind, model, path);
    }
}
