<#--
  nm4j's template library: import it with <#import "/nm.ftl" as nm>.
  Functions return plain strings; the importing template's format escapes them when printed.
-->
<#-- "[FIRING:2 RESOLVED:1]": the alerts counted by status, firing first. -->
<#function counts>
  <#local parts = []>
  <#if firing?has_content><#local parts += [words.firing + ":" + firing?size]></#if>
  <#if resolved?has_content><#local parts += [words.resolved + ":" + resolved?size]></#if>
  <#return "[" + parts?join(" ") + "]">
</#function>

<#-- "[FIRING:2 RESOLVED:1] KubePodCrashLooping", or the number of alerts when their names differ. -->
<#function title>
  <#if !alerts?has_content><#return words.noAlerts></#if>
  <#return counts() + " " + commonName?has_content?then(commonName, alerts?size + " " + words.alerts)>
</#function>

<#-- "A, B, C +2": the alerts' distinct names, at most max of them. -->
<#function nameList max>
  <#if names?size lte max><#return names?join(", ")></#if>
  <#return names[0..<max]?join(", ") + " +" + (names?size - max)>
</#function>

<#-- "namespace=demo, severity=critical, pod=web-0": an alert's labels on one line. -->
<#function labels alert>
  <#local pairs = []>
  <#list alert.labels as l><#local pairs += [l.name + "=" + l.value]></#list>
  <#return pairs?join(", ")>
</#function>
